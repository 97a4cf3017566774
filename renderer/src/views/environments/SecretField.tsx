// A write-only secret field: the value goes from the (uncontrolled) password input straight to the API
// and the input is cleared; the UI only ever shows "set" / "not set". The value is never put in React
// state, the store, a log or an attribute.
import { forwardRef, useImperativeHandle, useRef } from 'react';
import type { SecretKind, SecretStatus } from '../../../../shared/environment';

export interface SecretFieldHandle {
  /** Reads the input without clearing it (cleared only once the keychain has the value). */
  peek(): string;
  clear(): void;
  hasValue(): boolean;
}

interface Props {
  kind: SecretKind;
  label: string;
  status?: SecretStatus[SecretKind];
  disabled?: boolean;
  busy?: boolean;
  /** Absent for a new environment (the value is stored when the environment is saved). */
  onSave?: (value: string) => void;
  onClear?: () => void;
}

const PLACEHOLDERS: Record<SecretStatus[SecretKind], string> = {
  set: '•••••• (stored in the keychain — type to replace)',
  'not set': 'not set — type to store in the keychain',
  unavailable: 'keychain unavailable — see the note above',
};

export const SecretField = forwardRef<SecretFieldHandle, Props>(function SecretField(props, ref) {
  const input = useRef<HTMLInputElement>(null);
  useImperativeHandle(ref, () => ({
    peek() {
      return input.current?.value ?? '';
    },
    clear() {
      if (input.current) input.current.value = '';
    },
    hasValue() {
      return Boolean(input.current?.value);
    },
  }));
  const id = `secret-${props.kind}`;
  const status = props.status ?? 'not set';
  return (
    <div className="field secret">
      <label htmlFor={id}>{props.label}</label>
      <div className="secret-row">
        <input
          id={id}
          ref={input}
          type="password"
          autoComplete="off"
          spellCheck={false}
          disabled={props.disabled}
          placeholder={PLACEHOLDERS[status]}
        />
        {props.onSave ? (
          <button
            type="button"
            className="btn small"
            disabled={props.disabled || props.busy}
            onClick={() => {
              const v = input.current?.value ?? '';
              if (!v) return;
              if (input.current) input.current.value = '';
              props.onSave!(v);
            }}
          >
            Save to keychain
          </button>
        ) : null}
        {props.onClear && status === 'set' ? (
          <button type="button" className="btn small" disabled={props.disabled || props.busy} onClick={props.onClear}>
            Remove
          </button>
        ) : null}
        <span className={`badge secret-${status.replace(' ', '-')}`} aria-label={`${props.label}: ${status}`}>
          {status}
        </span>
      </div>
    </div>
  );
});
