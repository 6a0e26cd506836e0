// The pinned model of an AI node, picked from the price table (GET /api/catalog/models):
// "Automatic" leaves the choice to the router (the cheapest model of the tier that fits).
import { useModelCatalog } from '../inspector-queries.ts';
import type { ControlProps } from './field-props.ts';
import { SelectControl } from './select-control.tsx';
import { TextControl } from './text-control.tsx';

// Prices per million tokens read like the providers' own tables: "$0.60", "$15.00", "$0.075".
function perMillion(micros: number): string {
  const usd = micros / 1_000_000;
  return `$${usd > 0 && usd < 0.1 ? String(Number(usd.toPrecision(2))) : usd.toFixed(2)}`;
}

export function ModelControl(p: ControlProps<string>) {
  const catalog = useModelCatalog();
  // Without the table a model can still be typed; the server checks it when saving.
  if (catalog.isError) return <TextControl {...p} />;
  const models = [...(catalog.data?.models ?? [])].sort((a, b) => a.provider.localeCompare(b.provider) || a.prices.input - b.prices.input || a.ref.localeCompare(b.ref));
  const options = models.map((m) => ({ value: m.ref, label: `${m.ref} — ${m.tier}, ${perMillion(m.prices.input)} in / ${perMillion(m.prices.output)} out per 1M tokens` }));
  const value = typeof p.value === 'string' ? p.value : undefined;
  if (value !== undefined && !options.some((o) => o.value === value)) options.unshift({ value, label: `${value} (not in the price table)` });
  return <SelectControl {...p} value={value} options={options} unsetLabel="Automatic: the cheapest model of the tier that fits" />;
}
