import type { AnyNodeDefinition } from '../contract/index.ts';
import { chatNode } from './chat.node.ts';
import { codeNode } from './code.node.ts';
import { conditionNode } from './condition.node.ts';
import { delayNode } from './delay.node.ts';
import { formNode } from './form.node.ts';
import { httpNode } from './http.node.ts';
import { loopNode } from './loop.node.ts';
import { manualNode } from './manual.node.ts';
import { mergeNode } from './merge.node.ts';
import { respondNode } from './respond.node.ts';
import { scheduleNode } from './schedule.node.ts';
import { switchNode } from './switch.node.ts';
import { transformNode } from './transform.node.ts';
import { webhookNode } from './webhook.node.ts';
import { placeholdersOf, UNSUPPORTED_TYPES, unsupportedNode, unsupportedTriggerNode } from './unsupported.node.ts';

export { chatNode, codeNode, conditionNode, delayNode, formNode, httpNode, loopNode, manualNode, mergeNode, respondNode, scheduleNode, switchNode, transformNode, webhookNode };
export { CHAT_MESSAGE_MAX, CHAT_SESSION_ID } from './chat.node.ts';
export { checkFormSubmission, FORM_FIELD_TYPES, FORM_VALUE_MAX, formFieldSchema, type FormCheck, type FormField, type FormFieldType, type FormValue } from './form-fields.ts';
export { placeholdersOf, UNSUPPORTED_TYPES, unsupportedNode, unsupportedTriggerNode };

/** Every core node, triggers first. */
export const coreNodes: readonly AnyNodeDefinition[] = [
  manualNode,
  webhookNode,
  scheduleNode,
  formNode,
  chatNode,
  unsupportedTriggerNode,
  transformNode,
  conditionNode,
  switchNode,
  mergeNode,
  loopNode,
  delayNode,
  respondNode,
  httpNode,
  codeNode,
  unsupportedNode,
];
