// A read-only URL with a Copy button (the relay's and the tap's URLs): the clipboard API first, the
// selected text as the fallback where the app grants no clipboard permission.
import { useRef, useState } from 'react';

export function CopyField({ value, label, size = 22 }: { value: string; label: string; size?: number }) {
  const [copied, setCopied] = useState(false);
  const box = useRef<HTMLInputElement>(null);
  const copy = async () => {
    let ok = false;
    try {
      await navigator.clipboard.writeText(value);
      ok = true;
    } catch {
      // The app grants no permissions (Electron) or the page is not focused: copy the selected text instead.
      box.current?.select();
      ok = document.execCommand?.('copy') ?? false;
    }
    if (!ok) return;
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <>
      <input ref={box} className="copy-url mono" aria-label={label} readOnly value={value} size={size} onFocus={(e) => e.currentTarget.select()} />
      <button type="button" className="btn small" onClick={() => void copy()}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </>
  );
}
