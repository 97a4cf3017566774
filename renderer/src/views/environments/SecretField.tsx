// A write-only secret field: the value goes from the (uncontrolled) password input straight to the API
// and the input is cleared; the UI only ever shows "set" / "not set". The value is never put in React
// state, the store, a log or an attribute.
import { forwardRef, useImperativeHandle, useRef } from 'react';
import type { SecretKind, SecretStatus } from '../../../../shared/environment';

export interface SecretFieldHandle {
  /** Reads and clears the input. */
  take(): string;
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

export const SecretField = forwardRef<SecretFieldHandle, Props>(function SecretField(props, ref) {
  const input = useRef<HTMLInputElement>(null);
  useImperativeHandle(ref, () => ({
    take() {
      const v = input.current?.value ?? '';
      if (input.current) input.current.value = '';
      return v;
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
          placeholder={status === 'set' ? '•••••• (stored in the keychain — type to replace)' : 'not set — type to store in the keychain'}
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
