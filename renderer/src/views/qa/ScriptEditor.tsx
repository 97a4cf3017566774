// A plain-text editor with a line-number gutter that marks the lines main reported a problem on, scrolled
// together with the text. Used for dialog scripts (problems by line).
import { useRef } from 'react';

export function ScriptEditor({ label, value, onChange, badLines, placeholder }: { label: string; value: string; onChange: (v: string) => void; badLines: ReadonlySet<number>; placeholder?: string }) {
  const gutter = useRef<HTMLDivElement>(null);
  const lines = Math.max(1, value.split('\n').length);
  return (
    <div className="qa-editor">
      <div className="qa-gutter" ref={gutter} aria-hidden="true">
        {Array.from({ length: lines }, (_, i) => (
          <div key={i} className={badLines.has(i + 1) ? 'bad-line' : undefined}>
            {i + 1}
          </div>
        ))}
      </div>
      <textarea
        aria-label={label}
        spellCheck={false}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
      />
    </div>
  );
}
