// The editor's dropdowns: channels and users, a page at a time with Slack's cursors.
import type { OptionItem, OptionList } from '../framework/index.ts';
import { slackApi, str } from './call-slack.ts';
import { channelPage } from './list-channels.node.ts';

const matches = (search: string | undefined, ...texts: (string | undefined)[]) => !search || texts.some((t) => t?.toLowerCase().includes(search.toLowerCase()));

export const channelOptions: OptionList = {
  title: 'Channels',
  async list(call, q) {
    const page = await channelPage(call, { ...(q.cursor ? { cursor: q.cursor } : {}), limit: 200, types: 'public_channel,private_channel', excludeArchived: true });
    const items: OptionItem[] = page.channels.filter((c) => matches(q.search, c.name)).map((c) => ({ value: c.id, label: `#${c.name}`, meta: { isPrivate: c.isPrivate, isMember: c.isMember } }));
    return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  },
};

export const userOptions: OptionList = {
  title: 'Users',
  async list(call, q) {
    const r = await slackApi(call, 'users.list', { cursor: q.cursor, limit: 200 });
    const members = Array.isArray(r.members) ? (r.members as Record<string, unknown>[]) : [];
    const items: OptionItem[] = [];
    for (const m of members) {
      const id = str(m.id);
      if (!id || m.deleted === true) continue;
      const profile = (m.profile ?? {}) as Record<string, unknown>;
      const label = str(profile.display_name) || str(m.real_name) || str(m.name) || id;
      if (matches(q.search, label, str(m.name), str(m.real_name))) items.push({ value: id, label, meta: { isBot: m.is_bot === true } });
    }
    const next = str((r.response_metadata as { next_cursor?: unknown } | undefined)?.next_cursor);
    return { items, ...(next ? { nextCursor: next } : {}) };
  },
};
