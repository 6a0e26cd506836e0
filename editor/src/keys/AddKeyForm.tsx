// Adding a key: an AI provider's (Azure also needs its endpoint and api-version) or an
// integration's pasted token. The key field is a password input that is cleared once stored;
// errors are the API's, shown beside the field they name.
import { useState, type FormEvent } from 'react';
import { errorMessage, Field } from '../app/Field.tsx';
import { splitErrors, type FieldErrors } from './KeyDialogs.tsx';
import { createCredential, parseDeployments, type Credential, type NewCredential } from './keys.api.ts';

export interface ProviderChoice {
  id: string;
  title: string;
  placeholder: string;
  secretLabel?: string;
}

export function AddKeyForm(props: { heading: string; providerLabel: string; providers: readonly ProviderChoice[]; submitLabel: string; onAdded(c: Credential): void; create?: (body: NewCredential) => Promise<Credential> }) {
  const [provider, setProvider] = useState<string>(props.providers[0]!.id);
  const [label, setLabel] = useState('');
  const [secret, setSecret] = useState('');
  const [endpoint, setEndpoint] = useState('');
  const [apiVersion, setApiVersion] = useState('2024-10-21');
  const [deployments, setDeployments] = useState('');
  const [errors, setErrors] = useState<{ fields: FieldErrors; message: string | null }>({ fields: {}, message: null });
  const [busy, setBusy] = useState(false);
  const choice = props.providers.find((p) => p.id === provider) ?? props.providers[0]!;
  const azure = provider === 'azure_openai';
  const create = props.create ?? createCredential;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors({ fields: {}, message: null });
    const parsed = azure ? parseDeployments(deployments) : { map: {} };
    if ('error' in parsed) {
      setErrors({ fields: { deployments: parsed.error }, message: null });
      setBusy(false);
      return;
    }
    const map = Object.keys(parsed.map).length > 0 ? { deployments: parsed.map } : {};
    try {
      const body: NewCredential = { provider, label: label.trim() || `${choice.title} key`, secret: secret.trim(), ...(azure ? { endpoint: endpoint.trim(), apiVersion: apiVersion.trim(), ...map } : {}) };
      const created = await create(body);
      setSecret('');
      setLabel('');
      setDeployments('');
      props.onAdded(created);
    } catch (err) {
      const split = splitErrors(err, ['provider', 'label', 'secret', 'endpoint', 'apiVersion', 'deployments']);
      setErrors(split.message === null && Object.keys(split.fields).length === 0 ? { fields: {}, message: errorMessage(err) } : split);
    } finally {
      setBusy(false);
    }
  }

  const formId = `add-${props.heading.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <form className="kf-keys-add" onSubmit={submit} noValidate autoComplete="off" aria-labelledby={`${formId}-title`}>
      <h3 id={`${formId}-title`} className="kf-keys-add__title">
        {props.heading}
      </h3>
      <div className="kf-field">
        <label htmlFor={`${formId}-provider`}>{props.providerLabel}</label>
        <select id={`${formId}-provider`} className="kf-input" value={provider} onChange={(e) => setProvider(e.target.value)}>
          {props.providers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </select>
        {errors.fields.provider ? <span className="kf-field-error">{errors.fields.provider}</span> : null}
      </div>
      <Field label="Name" value={label} onChange={(e) => setLabel(e.target.value)} error={errors.fields.label} placeholder={`${choice.title} key`} maxLength={100} />
      <Field
        label={choice.secretLabel ?? 'API key'}
        type="password"
        value={secret}
        onChange={(e) => setSecret(e.target.value)}
        error={errors.fields.secret}
        placeholder={choice.placeholder}
        autoComplete="off"
        spellCheck={false}
        hint="Stored encrypted; after saving only a mask is ever shown."
      />
      {azure ? (
        <>
          <Field label="Endpoint" value={endpoint} onChange={(e) => setEndpoint(e.target.value)} error={errors.fields.endpoint} placeholder="https://<resource>.openai.azure.com" />
          <Field label="API version" value={apiVersion} onChange={(e) => setApiVersion(e.target.value)} error={errors.fields.apiVersion} placeholder="2024-10-21" />
          <div className="kf-field">
            <label htmlFor={`${formId}-deployments`}>Deployments</label>
            <textarea
              id={`${formId}-deployments`}
              className="kf-input"
              rows={3}
              value={deployments}
              onChange={(e) => setDeployments(e.target.value)}
              placeholder={'prod-mini = gpt-4o-mini\nprod-large = gpt-4.1'}
              spellCheck={false}
              aria-describedby={`${formId}-deployments-hint`}
            />
            <span id={`${formId}-deployments-hint`} className="kf-hint">
              One “deployment = model” a line. Calls are priced by the model and sent only to these deployments; left empty, each deployment must be named after its model.
            </span>
            {errors.fields.deployments ? <span className="kf-field-error">{errors.fields.deployments}</span> : null}
          </div>
        </>
      ) : null}
      {errors.message ? (
        <p role="alert" className="kf-alert">
          {errors.message}
        </p>
      ) : null}
      <button type="submit" className="kf-button kf-button--primary" disabled={busy}>
        {props.submitLabel}
      </button>
    </form>
  );
}
