// Turns an issue the reassembler found into the event-model's frame.issue event, so the session engine can
// publish it without re-describing it. Pure; never invents positions.
import type { FrameIssueEvent } from '../../../shared/events';
import type { ReassemblyIssue } from './types';

export function issueToEvent(turnId: string, issue: ReassemblyIssue): FrameIssueEvent {
  const ev: FrameIssueEvent = { type: 'frame.issue', turnId, at: issue.at, kind: issue.kind, detail: issue.detail, position: issue.position };
  if (issue.seq !== undefined) ev.seq = issue.seq;
  if (issue.expectedSeq !== undefined) ev.expectedSeq = issue.expectedSeq;
  if (issue.token !== undefined) ev.token = issue.token;
  return ev;
}
