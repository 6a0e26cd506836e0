// Azure deployments: an Azure credential may carry its deployment → model map. The router then
// offers an Azure model only when some usable Azure credential deploys it, prices the call by
// that model, and sends the deployment's name; a name not in the map is never sent. A
// credential without a map keeps the old rule: the deployment carries the model's name.
import type { CatalogModel } from '../catalog/catalog.ts';
import type { ProviderCredential, ProviderId } from '../types.ts';
import type { OwnerCredential } from './router-types.ts';
import type { RankedCandidates } from './select-candidates.ts';

/** The deployment of `credential` that serves `model` (the first, by name order), or undefined. */
export function deploymentFor(credential: OwnerCredential, model: string): string | undefined {
  const map = credential.credential.deployments;
  if (!map) return credential.provider === 'azure_openai' ? model : undefined;
  return Object.keys(map)
    .sort()
    .find((name) => map[name] === model);
}

/** The credential and the model id to send for a candidate: Azure's deployment name, others the model. */
export function credentialFor(credentials: readonly OwnerCredential[], c: CatalogModel, usable: (cred: OwnerCredential) => boolean): { cred: OwnerCredential; sendAs: string } | undefined {
  for (const cred of credentials) {
    if (cred.provider !== c.provider || !usable(cred)) continue;
    if (c.provider !== 'azure_openai') return { cred, sendAs: c.model };
    const deployment = deploymentFor(cred, c.model);
    if (deployment) return { cred, sendAs: deployment };
  }
  return undefined;
}

/** What onlyDeployed reads of a credential (the route preview has no opened keys). */
export type DeploymentHolder = { provider: ProviderId; credential: Pick<ProviderCredential, 'deployments'> };

/** Drops Azure candidates no Azure credential deploys (keeps the order and the parallel arrays). */
export function onlyDeployed(ranked: RankedCandidates, credentials: readonly DeploymentHolder[]): RankedCandidates {
  const azure = credentials.filter((c) => c.provider === 'azure_openai');
  if (azure.length === 0 || azure.some((c) => !c.credential.deployments)) return ranked;
  const deployed = new Set(azure.flatMap((c) => Object.values(c.credential.deployments ?? {})));
  const keep: number[] = [];
  ranked.models.forEach((m, i) => {
    if (m.provider !== 'azure_openai' || deployed.has(m.model)) keep.push(i);
  });
  if (keep.length === ranked.models.length) return ranked;
  return { models: keep.map((i) => ranked.models[i]!), expected: keep.map((i) => ranked.expected[i]!), worst: keep.map((i) => ranked.worst[i]!) };
}
