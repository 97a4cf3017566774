// Package entry of the streaming safety filter (issue 4 §2): compile a policy once, then filter whole texts
// or streams with it. Never imports Electron; never logs or returns a detected value.
export { compilePolicy } from './compile-policy';
export type { CompiledPolicy } from './compile';
export { createFilter, filterText } from './stream-filter';
export { checkLeak, createLeakCheck, type LeakCheck, type LeakReport } from './leak';
export { PolicyError, DEFAULT_POLICY, BUILTIN_TYPES, type Policy, type PolicyIssue } from '../../../shared/policy';
export { parsePolicy } from '../../../shared/policy-schema';
export type { FilterChunk, FilterOptions, FilterResult, Hit, StreamFilter, FilterAction } from './types';
