// The operator's integration settings as nodes receive them (ctx.services): base URLs from
// KEYFLOW_<SERVICE>_BASE_URL, validated by loadConfig. Nodes never read process.env.
import type { ServiceSettings } from '@keyflow/nodes/contract';
import { serviceNames, type Config, type ServiceName } from '../config.ts';

export function serviceSettings(baseUrls: Config['serviceBaseUrls']): ServiceSettings {
  const byService = new Map<string, string>();
  for (const name of serviceNames) {
    const url = baseUrls[name];
    if (url) byService.set(name.toLowerCase(), url);
  }
  return { baseUrl: (service) => byService.get(service) };
}

export function serviceNameOf(service: string): ServiceName | undefined {
  const upper = service.toUpperCase();
  return (serviceNames as readonly string[]).includes(upper) ? (upper as ServiceName) : undefined;
}
