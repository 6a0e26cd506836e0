// n8n's schedule triggers → one cron of ours. Schedule Trigger rules (every N seconds,
// minutes, hours, days, weeks, months, or a cron expression), the legacy Cron node's trigger
// times, and the legacy Interval node. We carry one cron: further rules are named in the reason.
import { isRecord } from './records.ts';

export interface CronResult {
  cron?: string;
  /** What does not carry over exactly. */
  notes: string[];
  /** Why nothing could be carried. */
  failure?: string;
}

const WEEKDAYS: Record<string, number> = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 };

function int(value: unknown, fallback: number, min: number, max: number): number | undefined {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

function step(n: number): string {
  return n === 1 ? '*' : `*/${n}`;
}

/** Every N seconds, raised to the floor when it fires faster. */
function everySeconds(n: number, minSeconds: number, notes: string[]): string {
  if (n < minSeconds) {
    notes.push(`n8n ran every ${n} seconds; Keyflow schedules fire at most every ${minSeconds} seconds, so it now runs every ${Math.ceil(minSeconds / 60)} minute(s)`);
    return `${step(Math.max(1, Math.ceil(minSeconds / 60)))} * * * *`;
  }
  if (n % 60 === 0) return `${step(n / 60)} * * * *`;
  return `*/${n} * * * * *`;
}

function weekdayList(value: unknown): string | undefined {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const days = items.map((d) => (typeof d === 'number' ? d : typeof d === 'string' ? (WEEKDAYS[d.toLowerCase()] ?? Number(d)) : NaN));
  if (days.some((d) => !Number.isInteger(d) || d < 0 || d > 7)) return undefined;
  return days.length === 0 ? '0' : [...new Set(days.map((d) => d % 7))].sort().join(',');
}

/** One Schedule Trigger rule (rule.interval[i]). */
function scheduleRule(rule: Record<string, unknown>, minSeconds: number, notes: string[]): string | string {
  const field = typeof rule.field === 'string' ? rule.field : 'days';
  const minute = int(rule.triggerAtMinute, 0, 0, 59);
  const hour = int(rule.triggerAtHour, 0, 0, 23);
  if (minute === undefined || hour === undefined) return 'the trigger hour or minute is not a fixed number';
  switch (field) {
    case 'seconds': {
      const n = int(rule.secondsInterval, 30, 1, 59);
      return n === undefined ? 'the seconds interval is not a number from 1 to 59' : `=${everySeconds(n, minSeconds, notes)}`;
    }
    case 'minutes': {
      const n = int(rule.minutesInterval, 5, 1, 59);
      if (n === undefined) return 'the minutes interval is not a number from 1 to 59';
      return `=${n * 60 < minSeconds ? everySeconds(n * 60, minSeconds, notes) : `${step(n)} * * * *`}`;
    }
    case 'hours': {
      const n = int(rule.hoursInterval, 1, 1, 23);
      return n === undefined ? 'the hours interval is not a number from 1 to 23' : `=${minute} ${step(n)} * * *`;
    }
    case 'days': {
      const n = int(rule.daysInterval, 1, 1, 31);
      return n === undefined ? 'the days interval is not a number from 1 to 31' : `=${minute} ${hour} ${step(n)} * *`;
    }
    case 'weeks': {
      const n = int(rule.weeksInterval, 1, 1, 52);
      const days = weekdayList(rule.triggerAtDay);
      if (n === undefined || days === undefined) return 'the weeks interval or the week days are not fixed values';
      if (n > 1) notes.push(`n8n ran every ${n} weeks; a cron cannot skip weeks, so it now runs every week`);
      return `=${minute} ${hour} * * ${days}`;
    }
    case 'months': {
      const n = int(rule.monthsInterval, 1, 1, 12);
      const dom = int(rule.triggerAtDayOfMonth, 1, 1, 31);
      return n === undefined || dom === undefined ? 'the months interval or day of month is not a fixed number' : `=${minute} ${hour} ${dom} ${step(n)} *`;
    }
    case 'cronExpression': {
      const expr = typeof rule.expression === 'string' ? rule.expression.trim() : '';
      if (expr === '' || expr.startsWith('=')) return 'the cron expression is empty or computed';
      return `=${expr.replace(/\s+/g, ' ')}`;
    }
    default:
      return `the rule kind '${field.slice(0, 50)}' is not known`;
  }
}

/** Legacy Cron node: triggerTimes.item[]. */
function cronItem(item: Record<string, unknown>, notes: string[]): string {
  const mode = typeof item.mode === 'string' ? item.mode : 'everyDay';
  const minute = int(item.minute, 0, 0, 59);
  const hour = int(item.hour, 14, 0, 23);
  if (minute === undefined || hour === undefined) return 'the hour or minute is not a fixed number';
  switch (mode) {
    case 'everyMinute':
      return '=* * * * *';
    case 'everyHour':
      return `=${minute} * * * *`;
    case 'everyDay':
      return `=${minute} ${hour} * * *`;
    case 'everyWeek': {
      const day = int(item.weekday, 1, 0, 7);
      return day === undefined ? 'the weekday is not a fixed number' : `=${minute} ${hour} * * ${day % 7}`;
    }
    case 'everyMonth': {
      const dom = int(item.dayOfMonth, 1, 1, 31);
      return dom === undefined ? 'the day of month is not a fixed number' : `=${minute} ${hour} ${dom} * *`;
    }
    case 'everyX': {
      const n = int(item.value, 2, 1, 1000);
      const unit = item.unit === 'hours' ? 'hours' : 'minutes';
      if (n === undefined) return 'the interval is not a fixed number';
      if (unit === 'hours') return n <= 23 ? `=0 ${step(n)} * * *` : 'an interval over 23 hours';
      if (n <= 59) return `=${step(n)} * * * *`;
      if (n % 60 === 0 && n / 60 <= 23) return `=0 ${step(n / 60)} * * *`;
      notes.push(`every ${n} minutes is rounded to every ${Math.round(n / 60)} hour(s)`);
      return `=0 ${step(Math.max(1, Math.min(23, Math.round(n / 60))))} * * *`;
    }
    case 'custom': {
      const expr = typeof item.cronExpression === 'string' ? item.cronExpression.trim() : '';
      return expr === '' || expr.startsWith('=') ? 'the cron expression is empty or computed' : `=${expr.replace(/\s+/g, ' ')}`;
    }
    default:
      return `the mode '${mode.slice(0, 50)}' is not known`;
  }
}

function firstOf(list: unknown, what: string, read: (item: Record<string, unknown>) => string, fallback: Record<string, unknown>): CronResult {
  const items = Array.isArray(list) ? list.filter(isRecord) : [];
  const all = items.length > 0 ? items : [fallback];
  const notes: string[] = [];
  const got = read(all[0]!);
  if (!got.startsWith('=')) return { notes, failure: got };
  if (all.length > 1) notes.push(`n8n had ${all.length} ${what}; Keyflow keeps the first (add another workflow for the others)`);
  return { cron: got.slice(1), notes };
}

export function scheduleTriggerCron(parameters: Record<string, unknown>, minSeconds: number): CronResult {
  const rule = isRecord(parameters.rule) ? parameters.rule : {};
  const notes: string[] = [];
  const r = firstOf(rule.interval, 'schedule rules', (item) => scheduleRule(item, minSeconds, notes), { field: 'days' });
  return { ...r, notes: [...notes, ...r.notes] };
}

export function cronNodeCron(parameters: Record<string, unknown>): CronResult {
  const times = isRecord(parameters.triggerTimes) ? parameters.triggerTimes : {};
  const notes: string[] = [];
  const r = firstOf(times.item, 'trigger times', (item) => cronItem(item, notes), { mode: 'everyDay' });
  return { ...r, notes: [...notes, ...r.notes] };
}

export function intervalNodeCron(parameters: Record<string, unknown>, minSeconds: number): CronResult {
  const n = int(parameters.interval, 1, 1, 1_000_000);
  if (n === undefined) return { notes: [], failure: 'the interval is not a fixed number' };
  const unit = parameters.unit === 'minutes' || parameters.unit === 'hours' ? parameters.unit : 'seconds';
  const seconds = n * (unit === 'hours' ? 3600 : unit === 'minutes' ? 60 : 1);
  const notes: string[] = [];
  if (seconds < 3600) return { cron: seconds % 60 === 0 && seconds >= minSeconds ? `${step(seconds / 60)} * * * *` : everySeconds(seconds, minSeconds, notes), notes };
  if (seconds % 3600 === 0 && seconds / 3600 <= 23) return { cron: `0 ${step(seconds / 3600)} * * *`, notes };
  if (seconds % 86400 === 0 && seconds / 86400 <= 31) return { cron: `0 0 ${step(seconds / 86400)} * *`, notes };
  const hours = Math.max(1, Math.min(23, Math.round(seconds / 3600)));
  notes.push(`an interval of ${seconds} seconds is rounded to every ${hours} hour(s)`);
  return { cron: `0 ${step(hours)} * * *`, notes };
}
