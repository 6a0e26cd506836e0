// The fields of one object schema, in the schema's order; each edit reports the whole new
// object (an optional field set to undefined is removed, so defaults apply again).
import { fieldTitle, isObject, propertiesOf, requiredOf } from './field-kind.ts';
import { joinPath } from './form-context.ts';
import type { JsonSchema } from './types.ts';
import { ConfigField } from './config-field.tsx';

export interface SchemaFormProps {
  schema: JsonSchema;
  value: unknown;
  path: string;
  onChange(value: Record<string, unknown>): void;
}

export function SchemaForm(p: SchemaFormProps) {
  const obj = isObject(p.value) ? p.value : {};
  const required = requiredOf(p.schema);
  return (
    <div className="kf-insp-form">
      {propertiesOf(p.schema).map(([key, schema]) => (
        <ConfigField
          key={key}
          name={key}
          title={fieldTitle(schema, key)}
          schema={schema}
          required={required.has(key)}
          path={joinPath(p.path, key)}
          value={obj[key]}
          siblings={obj}
          onChange={(v) => {
            const next = { ...obj };
            if (v === undefined) delete next[key];
            else next[key] = v;
            p.onChange(next);
          }}
        />
      ))}
    </div>
  );
}
