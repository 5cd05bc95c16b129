import { useCallback, useState } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { MessageCursor, MessageView } from '../../../../shared/domain/message-views';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { KeysetList } from '../../lib/KeysetList';
import { formatDateTime } from '../../lib/time';
import { useKeysetPages } from '../../lib/useKeysetPages';
import { Compose } from './Compose';

type Tab = 'inbox' | 'sent' | 'write';
const PAGE = 50;
const TAB_LABEL: Record<Tab, string> = { inbox: 'Inbox', sent: 'Sent', write: 'Write a message' };

/** Messages between staff: the signed-in person's inbox (unread in bold), what they sent (who read it), and writing one. */
export function MessagesScreen() {
  const [tab, setTab] = useState<Tab>('inbox');
  const [open, setOpen] = useState<MessageView | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  // Moves when a message is opened or sent, so lists and the unread count are read again.
  const [changes, setChanges] = useState(0);

  async function show(id: string) {
    setError(null);
    try {
      setOpen(await api.invoke('messages.open', { id }));
      setChanges((n) => n + 1);
    } catch (err) {
      setError(toAppError(err));
    }
  }

  return (
    <main className="app-main app-main-single screen">
      <section className="screen-panel" aria-labelledby="messages-title">
        <div className="screen-head">
          <h2 id="messages-title">Messages</h2>
        </div>
        <nav className="section-nav" aria-label="Messages">
          {(['inbox', 'sent', 'write'] as const).map((t) => (
            <button
              key={t}
              type="button"
              className={`section-tab${tab === t ? ' is-current' : ''}`}
              aria-current={tab === t ? 'page' : undefined}
              onClick={() => {
                setTab(t);
                setOpen(null);
              }}
              data-testid={`messages-${t}`}
            >
              {TAB_LABEL[t]}
            </button>
          ))}
        </nav>
        {error && <ErrorNotice error={error} />}
        {open ? (
          <Opened message={open} onBack={() => setOpen(null)} />
        ) : tab === 'write' ? (
          <Compose
            onSent={() => {
              setChanges((n) => n + 1);
              setTab('sent');
            }}
          />
        ) : (
          tab === 'inbox' ? <Inbox key={changes} onOpen={(id) => void show(id)} /> : <Sent key={changes} onOpen={(id) => void show(id)} />
        )}
      </section>
    </main>
  );
}

function Inbox({ onOpen }: { onOpen(id: string): void }) {
  const fetchInbox = useCallback((after: MessageCursor | null) => api.invoke('messages.inbox', { after, limit: PAGE }), []);
  const inbox = useKeysetPages(fetchInbox);
  return (
    <KeysetList pages={inbox} empty="No messages for you yet." loadingText="Loading messages…">
      <table className="data-table message-table">
        <tbody>
          {inbox.rows.map((m) => (
            <tr key={m.id} className={m.read ? '' : 'is-unread'} style={m.read ? undefined : { fontWeight: 'bold' }} onClick={() => onOpen(m.id)} data-testid="inbox-row" data-unread={!m.read}>
              <td>{m.senderName}</td>
              <td>
                {m.subject} <span className="muted">{m.preview}</span>
              </td>
              <td>{formatDateTime(m.sentAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </KeysetList>
  );
}

function Sent({ onOpen }: { onOpen(id: string): void }) {
  const fetchSent = useCallback((after: MessageCursor | null) => api.invoke('messages.sent', { after, limit: PAGE }), []);
  const sent = useKeysetPages(fetchSent);
  return (
    <KeysetList pages={sent} empty="You have not sent a message yet." loadingText="Loading messages…">
      <table className="data-table message-table">
        <tbody>
          {sent.rows.map((m) => (
            <tr key={m.id} onClick={() => onOpen(m.id)} data-testid="sent-row">
              <td>To {m.toLabel}</td>
              <td>{m.subject}</td>
              <td>
                Read by {m.readCount} of {m.recipientCount}
              </td>
              <td>{formatDateTime(m.sentAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </KeysetList>
  );
}

function Opened({ message: m, onBack }: { message: MessageView; onBack(): void }) {
  return (
    <article className="message-open" data-testid="message-open">
      <button type="button" className="link-button" onClick={onBack}>
        ← Back
      </button>
      <h3>{m.subject}</h3>
      <p className="muted">
        From {m.senderName} to {m.toLabel}, {formatDateTime(m.sentAt)}
      </p>
      <p style={{ whiteSpace: 'pre-wrap' }}>{m.body}</p>
      {m.receipts && (
        <table className="data-table" data-testid="message-receipts">
          <thead>
            <tr>
              <th>Recipient</th>
              <th>Read</th>
            </tr>
          </thead>
          <tbody>
            {m.receipts.map((r) => (
              <tr key={r.staffId}>
                <td>{r.name}</td>
                <td>{r.readAt ? formatDateTime(r.readAt) : 'Not yet'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
