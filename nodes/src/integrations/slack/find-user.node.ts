import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../contract/index.ts';
import { credentialIdField } from '../framework/index.ts';
import { slackApi, slackCall, str } from './call-slack.ts';

const userOutput = z.object({ found: z.boolean(), id: z.string().optional(), name: z.string().optional(), realName: z.string().optional(), displayName: z.string().optional(), email: z.string().optional(), isBot: z.boolean().optional() });

export const findUserNode = defineNode({
  type: 'slack.find_user',
  version: 1,
  title: 'Slack: find a user by email',
  description: 'Looks a workspace member up by email address.',
  keywords: ["find user", "look up user", "member", "by email"],
  examples: [
    { text: "Find the Slack user with this email", config: {"email": "ada@example.com"} },
  ],
  category: 'integration',
  kind: 'action',
  config: z.strictObject({
    credentialId: credentialIdField,
    email: z.email('must be an email address').max(320),
    ifMissing: z.enum(['fail', 'empty']).default('fail').describe('"empty": answer { found: false } instead of failing'),
  }),
  output: userOutput,
  credential: { provider: 'slack' },
  async run(ctx) {
    const c = ctx.config;
    let r;
    try {
      r = await slackApi(slackCall(ctx), 'users.lookupByEmail', { email: c.email }, { user: c.email });
    } catch (err) {
      if (c.ifMissing === 'empty' && err instanceof NonRetriableNodeError && err.details?.code === 'users_not_found') return { output: { found: false } };
      throw err;
    }
    const u = (r.user ?? {}) as Record<string, unknown>;
    const profile = (u.profile ?? {}) as Record<string, unknown>;
    const pick = (k: string, v: string | undefined) => (v ? { [k]: v } : {});
    return {
      output: {
        found: true,
        ...pick('id', str(u.id)),
        ...pick('name', str(u.name)),
        ...pick('realName', str(u.real_name) ?? str(profile.real_name)),
        ...pick('displayName', str(profile.display_name)),
        ...pick('email', str(profile.email) ?? c.email),
        isBot: u.is_bot === true,
      },
    };
  },
});
