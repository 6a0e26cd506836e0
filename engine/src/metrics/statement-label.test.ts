import { describe, expect, it } from 'vitest';
import { statementLabel } from './metrics.ts';

describe('statementLabel', () => {
  it.each([
    ['insert into "runs" ("id") values ($1)', undefined, 'insert runs'],
    ['select "graph" from "workflow_versions" where "owner_id" = $1', undefined, 'select workflow_versions'],
    ['update "runs" set "status" = $1', undefined, 'update runs'],
    ['delete from "webhook_deliveries" where "expires_at" < now()', undefined, 'delete webhook_deliveries'],
    ['begin', undefined, 'begin'],
    ['COMMIT', undefined, 'commit'],
    ['with prev as (select 1) update runs set x = 1', undefined, 'with'],
    ['insert into runs values ($1)', 'kf_insert_run', 'kf_insert_run'],
  ])('%s → %s', (text, name, label) => {
    expect(statementLabel(text, name)).toBe(label);
  });
});
