// Gmail nodes, options, scopes and polling (owned by goog2): spread into ../index.ts and ../scopes.ts.
import type { AnyNodeDefinition } from '../../../contract/index.ts';
import type { OptionList } from '../../framework/index.ts';
import { addLabelNode } from './add-label.node.ts';
import { getMessageNode } from './get-message.node.ts';
import { labelsOption } from './labels.ts';
import { listMessagesNode } from './list-messages.node.ts';
import { gmailNewMessagePoll, newMessageTrigger } from './new-message.trigger.ts';
import { sendNode } from './send.node.ts';

export { addLabelNode, getMessageNode, listMessagesNode, newMessageTrigger, sendNode };
export { gmailScopes } from './scopes.ts';
export const gmailNodes: readonly AnyNodeDefinition[] = [sendNode, listMessagesNode, getMessageNode, addLabelNode, newMessageTrigger];
/** Option lists by node type (or '*'), merged with the other Google APIs'. */
export const gmailOptions: Readonly<Record<string, Readonly<Record<string, OptionList>>>> = {
  'gmail.list_messages': { labels: labelsOption },
  'gmail.add_label': { labels: labelsOption },
  'gmail.new_message': { labels: labelsOption },
};
/** Trigger types the engine polls. */
export const gmailPolls = { 'gmail.new_message': gmailNewMessagePoll };
