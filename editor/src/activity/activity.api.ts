// The Activity page's server state: runs, failures and spend per hour with credential health
// (/api/activity), and the owner's alert settings (/api/alerts/settings) and latest alerts.
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';

export interface Activity {
  from: string;
  to: string;
  hours: { hour: string; runs: number; failed: number; costMicros: number }[];
  totals: { runs: number; failed: number; costMicros: number };
  health: Record<string, number>;
}
export interface AlertSettings {
  email: { enabled: boolean; to: string | null; configured: boolean };
  slack: { enabled: boolean; credentialId: string | null; channel: string | null };
  webhook: { enabled: boolean; url: string | null; hasSecret: boolean };
  workflowFailures: { enabled: boolean; mode: 'first' | 'threshold'; count: number; minutes: number };
  budget: { enabled: boolean; thresholds: number[] };
  credentialInvalid: { enabled: boolean };
  providerCooldown: { enabled: boolean; minutes: number };
  updatedAt: string | null;
}
export interface AlertEvent {
  id: string;
  kind: string;
  subject: string;
  link: string | null;
  suppressed: number;
  deliveries: { channel: string; ok: boolean; error?: string }[];
  createdAt: string;
}

export const alertSettingsKey = ['alert-settings'] as const;
export const alertsKey = ['alerts'] as const;

export function useActivity(hours: number) {
  return useQuery({ queryKey: ['activity', hours], queryFn: ({ signal }) => api<Activity>('GET', `/api/activity?hours=${hours}`, undefined, { signal }), refetchInterval: 60_000 });
}
export function useAlertSettings() {
  return useQuery({ queryKey: alertSettingsKey, queryFn: ({ signal }) => api<AlertSettings>('GET', '/api/alerts/settings', undefined, { signal }) });
}
export function useAlerts() {
  return useQuery({ queryKey: alertsKey, queryFn: ({ signal }) => api<{ items: AlertEvent[] }>('GET', '/api/alerts', undefined, { signal }) });
}
export function saveAlertSettings(body: Record<string, unknown>): Promise<AlertSettings> {
  return api<AlertSettings>('PUT', '/api/alerts/settings', body);
}
