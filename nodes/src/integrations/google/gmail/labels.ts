// The mailbox's labels: the editor's dropdown, and label names resolved to ids for gmail.add_label.
import type { gmail_v1 } from '@googleapis/gmail';
import { NonRetriableNodeError } from '../../../contract/index.ts';
import type { OptionList } from '../../framework/index.ts';
import { callGoogle } from '../errors.ts';
import { gmailClient } from './client.ts';

export const labelsOption: OptionList = {
  title: 'Labels',
  async list(call, query) {
    return callGoogle(call, undefined, async (c) => {
      const labels = (await gmailClient(c, 'gmail.list_messages').users.labels.list({ userId: 'me' })).data.labels ?? [];
      const search = query.search?.toLowerCase();
      const items = labels
        .filter((l) => l.id && (!search || (l.name ?? '').toLowerCase().includes(search)))
        .map((l) => ({ value: l.id!, label: l.name ?? l.id!, meta: { type: l.type ?? null } }));
      return { items };
    });
  },
};

/** Ids or names (case-insensitive) → ids; an unknown one is an error naming the field and value. */
export function resolveLabels(field: string, wanted: readonly string[], labels: readonly gmail_v1.Schema$Label[]): string[] {
  return wanted.map((w) => {
    const hit = labels.find((l) => l.id === w) ?? labels.find((l) => (l.name ?? '').toLowerCase() === w.toLowerCase());
    if (!hit?.id) throw new NonRetriableNodeError(`${field}: no label "${w.slice(0, 100)}" in this mailbox (pick one from the list, or create it in Gmail first)`);
    return hit.id;
  });
}
