import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import { useSession } from './store';

type Field = 'serverUrl' | 'enrolmentCode' | 'deviceName';
const FIELDS: readonly Field[] = ['serverUrl', 'enrolmentCode', 'deviceName'];

function isField(path: string): path is Field {
  return (FIELDS as readonly string[]).includes(path);
}

/** "192.168.1.10:3100" means the school server over plain HTTP, as on a school network. */
function withScheme(address: string): string {
  const trimmed = address.trim();
  if (trimmed === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return trimmed;
  return `http://${trimmed}`;
}

/** What went wrong, in words, when it is not about one field. */
function describe(error: AppError): { message: string; hint: string | null } {
  if (error.code === 'unavailable') {
    // Core's wording is written for syncing ("work is saved…"); keep only the part that applies.
    const reach = /^Cannot reach the sync server(?: \(([^)]*)\))?/.exec(error.message);
    return {
      // A bare error name such as "(TypeError)" tells nobody anything: leave it out.
      message: reach ? `Cannot reach the school server${reach[1] && !/^\w*Error$/.test(reach[1]) ? ` (${reach[1]})` : ''}.` : error.message,
      hint: 'Check the school server address, and that this computer is connected to the school network, then try again.',
    };
  }
  return { message: error.message, hint: null };
}

/** Shown on a computer that is not enrolled with a school yet: nothing else works until it is. */
export function Enrol() {
  const enrol = useSession((s) => s.enrol);
  const enrolling = useSession((s) => s.enrolling);
  const error = useSession((s) => s.enrolError);
  const [serverUrl, setServerUrl] = useState('');
  const [enrolmentCode, setEnrolmentCode] = useState('');
  const [deviceName, setDeviceName] = useState('');
  const refs = {
    serverUrl: useRef<HTMLInputElement>(null),
    enrolmentCode: useRef<HTMLInputElement>(null),
    deviceName: useRef<HTMLInputElement>(null),
  };
  const ids = useId();

  useEffect(() => {
    refs.serverUrl.current?.focus();
  }, []);

  const fieldIssues = error?.issues?.filter((i) => isField(i.path)) ?? [];
  const issueFor = (field: Field): string | null => {
    const messages = fieldIssues.filter((i) => i.path === field).map((i) => i.message);
    return messages.length > 0 ? messages.join(' ') : null;
  };
  const otherIssues = error?.issues?.filter((i) => !isField(i.path)) ?? [];
  // The message is shown when the fields do not already say everything.
  const general = error && (fieldIssues.length === 0 || otherIssues.length > 0) ? describe(error) : null;

  // After a failed attempt, put the cursor where the first problem is.
  useEffect(() => {
    if (!error) return;
    const first = FIELDS.find((f) => error.issues?.some((i) => i.path === f));
    if (first) refs[first].current?.focus();
    else if (error.code === 'unauthenticated') refs.enrolmentCode.current?.select();
    else if (error.code === 'unavailable') refs.serverUrl.current?.focus();
  }, [error]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (enrolling) return;
    const address = withScheme(serverUrl);
    if (address !== serverUrl) setServerUrl(address);
    await enrol({ serverUrl: address, enrolmentCode: enrolmentCode.trim(), deviceName: deviceName.trim() });
  }

  const field = (
    name: Field,
    label: string,
    value: string,
    onChange: (v: string) => void,
    extra: { placeholder?: string; hint?: string; autoCapitalize?: string; inputMode?: 'url' | 'text' },
  ) => {
    const issue = issueFor(name);
    return (
      <label className="field">
        <span className="field-label">{label}</span>
        <input
          ref={refs[name]}
          aria-label={label}
          name={name}
          autoComplete="off"
          spellCheck={false}
          autoCapitalize={extra.autoCapitalize}
          inputMode={extra.inputMode}
          placeholder={extra.placeholder}
          value={value}
          aria-invalid={issue ? true : undefined}
          aria-describedby={issue ? `${ids}-${name}-error` : extra.hint ? `${ids}-${name}-hint` : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
        {issue ? (
          <span className="field-error" id={`${ids}-${name}-error`} data-testid={`enrol-${name}-error`}>
            {issue}
          </span>
        ) : (
          extra.hint && (
            <span className="field-hint" id={`${ids}-${name}-hint`}>
              {extra.hint}
            </span>
          )
        )}
      </label>
    );
  };

  return (
    <main className="app-main app-main-single signin-page">
      <form className="signin-form enrol-form" onSubmit={submit} noValidate data-testid="enrol-form" aria-label="Enrol this computer">
        <h2>Enrol this computer</h2>
        <p className="muted">
          This computer is not enrolled with a school yet. To enrol it, an administrator creates an enrolment code under{' '}
          <strong>Devices</strong> on a computer that is already enrolled, and gives it to you with the school server’s address.
        </p>
        <p className="muted">IT staff can instead put the code in this computer’s machine-wide configuration.</p>

        {field('serverUrl', 'School server address', serverUrl, setServerUrl, {
          placeholder: 'http://192.168.1.10:3100',
          autoCapitalize: 'none',
          inputMode: 'url',
        })}
        {field('enrolmentCode', 'Enrolment code', enrolmentCode, setEnrolmentCode, {
          autoCapitalize: 'none',
          hint: 'From your administrator. Codes expire: if yours has, ask for a new one.',
        })}
        {field('deviceName', 'Name of this computer', deviceName, setDeviceName, {
          placeholder: 'e.g. Bursar office',
          hint: 'Where it is or who uses it, so staff can tell the school’s computers apart.',
        })}

        <div className="form-actions">
          <button type="submit" className="primary" disabled={enrolling}>
            Enrol this computer
          </button>
          {enrolling && <span className="muted">Enrolling…</span>}
        </div>

        {general && (
          <div className="signin-error" role="alert" data-testid="enrol-error">
            <p>{general.message}</p>
            {otherIssues.length > 0 && (
              <ul>
                {otherIssues.map((i) => (
                  <li key={i.path + i.message}>{i.message}</li>
                ))}
              </ul>
            )}
            {general.hint && <p>{general.hint}</p>}
          </div>
        )}
      </form>
    </main>
  );
}
