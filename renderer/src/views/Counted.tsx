// Names a part of the window for the UI benchmark's re-render count: React calls a Profiler's onRender
// (once per commit that touched the part) only in its profiling build, which `npm run bench ui` builds
// for itself; the app's own build pays nothing. The counts land in window.__renderCounts.
import { Profiler, type ProfilerOnRenderCallback, type ReactNode } from 'react';

const count: ProfilerOnRenderCallback = (id) => {
  const counts = (window.__renderCounts ??= {});
  counts[id] = (counts[id] ?? 0) + 1;
};

export function Counted({ id, children }: { id: string; children: ReactNode }) {
  return (
    <Profiler id={id} onRender={count}>
      {children}
    </Profiler>
  );
}
