// The one rule for which usage a turn counts, as every face reads it.
import { describe, expect, it } from 'vitest';
import { countedUsage, usageSourceOf } from '../../shared/counted-usage';

const estimated = { prompt: 10, completion: 20, total: 30 };
const reported = { prompt: 11, completion: 25, total: 36 };

describe('counted usage', () => {
  it('counts the report when there is one, else the estimate', () => {
    expect(usageSourceOf(reported)).toBe('reported');
    expect(usageSourceOf(undefined)).toBe('estimated');
    expect(countedUsage({ source: 'reported', reported, estimated })).toBe(reported);
    expect(countedUsage({ source: 'estimated', estimated })).toBe(estimated);
  });

  it('a usage event marked reported but carrying no report counts the estimate, never nothing', () => {
    expect(countedUsage({ source: 'reported', estimated })).toBe(estimated);
  });
});
