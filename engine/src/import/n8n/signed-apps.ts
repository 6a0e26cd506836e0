// n8n's Typeform, Cal.com, Webflow and Telegram nodes. Their triggers become our inbound
// triggers; the signing secret is never in an export, so each note says where it comes from
// (Typeform and Telegram: made on activation; Cal.com and Webflow: the owner stores it).
import { isRecord, locatorValue } from './records.ts';
import { mapped, requireType, str, type MapContext, type MapOutcome } from './map-kit.ts';

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' && v !== '' ? [v] : []);

export function typeformTrigger(ctx: MapContext): MapOutcome {
  const missing = requireType(ctx, 'typeform.response');
  if (missing) return { failure: missing };
  const formId = locatorValue(ctx.params.formId);
  if (typeof formId !== 'string' || !/^[A-Za-z0-9]{4,32}$/.test(formId)) return { failure: 'typeform.response watches one form by its id, and the export names none Keyflow can read' };
  const notes = ["answers are under 'fields' by question title (and 'byRef' by field ref); n8n gave them at the top level"];
  return mapped('typeform.response', { formId }, notes);
}

const CAL_EVENTS = new Set(['BOOKING_CREATED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED', 'BOOKING_REQUESTED', 'BOOKING_REJECTED', 'BOOKING_PAID', 'MEETING_ENDED']);

export function calTrigger(ctx: MapContext): MapOutcome {
  const missing = requireType(ctx, 'calcom.booking');
  if (missing) return { failure: missing };
  const events = strings(ctx.params.events);
  const kept = events.filter((e) => CAL_EVENTS.has(e));
  const notes = ["create the webhook in Cal.com (Settings → Developer → Webhooks) with this trigger's URL and a secret, and store that secret on the trigger"];
  if (kept.length < events.length) notes.push(`events Keyflow does not start on were left out: ${events.filter((e) => !CAL_EVENTS.has(e)).join(', ')}`);
  return mapped('calcom.booking', kept.length > 0 ? { events: kept } : {}, notes);
}

export function webflowTrigger(ctx: MapContext): MapOutcome {
  const missing = requireType(ctx, 'webflow.form_submission');
  if (missing) return { failure: missing };
  const event = typeof ctx.params.event === 'string' ? ctx.params.event : 'form_submission';
  if (event !== 'form_submission') return { failure: `Webflow ${event} events have no Keyflow trigger (only form submissions)` };
  const site = locatorValue(ctx.params.site);
  const config = typeof site === 'string' && /^[0-9a-f]{24}$/i.test(site) ? { siteId: site } : {};
  return mapped('webflow.form_submission', config, ["add a form_submission webhook in Webflow with this trigger's URL and store its signing secret on the trigger; the form's fields are under 'data'"]);
}

const TELEGRAM_UPDATES = new Set(['message', 'edited_message', 'channel_post', 'edited_channel_post', 'callback_query']);

export function telegramTrigger(ctx: MapContext): MapOutcome {
  const missing = requireType(ctx, 'telegram.message');
  if (missing) return { failure: missing };
  const updates = strings(ctx.params.updates);
  const kept = updates.includes('*') ? [...TELEGRAM_UPDATES] : updates.filter((u) => TELEGRAM_UPDATES.has(u));
  const extra = isRecord(ctx.params.additionalFields) ? ctx.params.additionalFields : {};
  const chatIds = typeof extra.chatIds === 'string' ? extra.chatIds.split(',').map((c) => c.trim()).filter((c) => /^-?\d{1,20}$/.test(c)) : [];
  const notes = ['activating the workflow points the bot\'s webhook here with a fresh secret token'];
  if (updates.length > 0 && kept.length < updates.length && !updates.includes('*')) notes.push(`update types Keyflow does not start on were left out: ${updates.filter((u) => !TELEGRAM_UPDATES.has(u)).join(', ')}`);
  if (extra.download === true) notes.push('files are not downloaded: the update carries their file ids');
  return mapped('telegram.message', { ...(kept.length > 0 ? { updateTypes: kept } : {}), ...(chatIds.length > 0 ? { chatIds } : {}) }, notes);
}

const PARSE_MODES = new Set(['MarkdownV2', 'HTML', 'Markdown']);

export function telegram(ctx: MapContext): MapOutcome {
  const p = ctx.params;
  const resource = typeof p.resource === 'string' ? p.resource : 'message';
  const operation = typeof p.operation === 'string' ? p.operation : 'sendMessage';
  if (resource !== 'message' || (operation !== 'sendMessage' && operation !== 'sendPhoto')) return { failure: `Telegram ${resource}/${operation} has no Keyflow node yet` };
  const type = operation === 'sendMessage' ? 'telegram.send_message' : 'telegram.send_photo';
  const missing = requireType(ctx, type);
  if (missing) return { failure: missing };
  if (operation === 'sendPhoto' && p.binaryData === true) return { failure: 'a photo uploaded from binary data is not carried over (telegram.send_photo sends a photo by URL)' };
  const extra = isRecord(p.additionalFields) ? p.additionalFields : {};
  const config: Record<string, unknown> = { chatId: str(ctx, p.chatId) };
  if (operation === 'sendMessage') config.text = str(ctx, p.text);
  else {
    config.photoUrl = str(ctx, p.file);
    if (typeof extra.caption === 'string' && extra.caption !== '') config.caption = str(ctx, extra.caption);
  }
  if (typeof extra.parse_mode === 'string' && PARSE_MODES.has(extra.parse_mode)) config.parseMode = extra.parse_mode;
  if (extra.disable_notification === true) config.disableNotification = true;
  const notes = isRecord(p.replyMarkup) || (typeof p.replyMarkup === 'string' && p.replyMarkup !== 'none') ? ['reply keyboards and inline buttons are not carried over'] : [];
  return mapped(type, config, notes);
}
