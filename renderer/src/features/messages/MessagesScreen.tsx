import { useCallback, useState } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { InboxItem, MessageCursor, MessageView, SentItem } from '../../../../shared/domain/message-views';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { KeysetList } from '../../lib/KeysetList';
import { ScreenPanel } from '../../lib/ScreenPanel';
import { SectionTabs } from '../../lib/SectionTabs';
import { formatDateTime } from '../../lib/time';
import { useKeysetPages } from '../../lib/useKeysetPages';
import { useNavCounts } from '../nav/counts';
import { useAfterSync } from '../sync/useAfterSync';
import { Compose } from './Compose';
import { readText } from './messageDraft';
import './messages.css';

type Tab = 'inbox' | 'sent' | 'write';
const PAGE = 50;
const TABS: readonly { key: Tab; label: string }[] = [
  { key: 'inbox', label: 'Inbox' },
  { key: 'sent', label: 'Sent' },
  { key: 'write', label: 'Write a message' },
];

/** Messages between staff: the signed-in person's inbox (unread in bold), what they sent (who read it), and writing one. */
export function MessagesScreen() {
  const [tab, setTab] = useState<Tab>('inbox');
  const [open, setOpen] = useState<MessageView | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  // Moves when a message is opened or sent, so the lists are read again.
  const [changes, setChanges] = useState(0);

  // Who has read an opened message changes as other computers sync (opening it again marks nothing new).
  useAfterSync(() => {
    if (open) void api.invoke('messages.open', { id: open.id }).then((m) => setOpen((o) => (o?.id === m.id ? m : o)), () => undefined);
  });

  async function show(id: string) {
    setError(null);
    try {
      setOpen(await api.invoke('messages.open', { id }));
      setChanges((n) => n + 1);
      void useNavCounts.getState().refresh();
    } catch (err) {
      setError(toAppError(err));
    }
  }

  return (
    <main className="app-main app-main-single screen">
      <ScreenPanel titleId="messages-title" title="Messages">
        <SectionTabs
          label="Messages"
          tabs={TABS}
          current={tab}
          onGo={(t) => {
            setTab(t);
            setOpen(null);
          }}
          testIdPrefix="messages-"
        />
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
        ) : tab === 'inbox' ? (
          <Inbox key={changes} onOpen={(id) => void show(id)} onWrite={() => setTab('write')} />
        ) : (
          <Sent key={changes} onOpen={(id) => void show(id)} onWrite={() => setTab('write')} />
        )}
      </ScreenPanel>
    </main>
  );
}

interface ListProps {
  onOpen(id: string): void;
  onWrite(): void;
}

function Inbox({ onOpen, onWrite }: ListProps) {
  const fetchInbox = useCallback((after: MessageCursor | null) => api.invoke('messages.inbox', { after, limit: PAGE }), []);
  return (
    <MessageList<InboxItem> fetchPage={fetchInbox} empty="No messages for you yet. Messages other staff send you arrive here when this computer syncs." onWrite={onWrite}>
      {(m) => (
        <tr key={m.id} className={m.read ? '' : 'is-unread'} onClick={() => onOpen(m.id)} data-testid="inbox-row" data-unread={!m.read}>
          <td className="message-who">{m.senderName}</td>
          <td className="message-what">
            <OpenButton subject={m.subject} unread={!m.read} /> <span className="muted">{m.preview}</span>
          </td>
          <td className="message-when">{formatDateTime(m.sentAt)}</td>
        </tr>
      )}
    </MessageList>
  );
}

function Sent({ onOpen, onWrite }: ListProps) {
  const fetchSent = useCallback((after: MessageCursor | null) => api.invoke('messages.sent', { after, limit: PAGE }), []);
  return (
    <MessageList<SentItem> fetchPage={fetchSent} empty="You have not sent a message yet." onWrite={onWrite}>
      {(m) => (
        <tr key={m.id} onClick={() => onOpen(m.id)} data-testid="sent-row">
          <td className="message-who">To {m.toLabel}</td>
          <td className="message-what">
            <OpenButton subject={m.subject} />
          </td>
          <td className="message-read">{readText(m.readCount, m.recipientCount)}</td>
          <td className="message-when">{formatDateTime(m.sentAt)}</td>
        </tr>
      )}
    </MessageList>
  );
}

/** The subject as a button, so the keyboard opens a message too (the click reaches the row). */
function OpenButton({ subject, unread = false }: { subject: string; unread?: boolean }) {
  return (
    <button type="button" className="link-button message-subject">
      {subject}
      {unread && <span className="visually-hidden"> (unread)</span>}
    </button>
  );
}

interface MessageListProps<Row> {
  fetchPage(after: MessageCursor | null): Promise<{ rows: Row[]; next: MessageCursor | null }>;
  empty: string;
  onWrite(): void;
  children(row: Row): React.ReactNode;
}

/** A page of messages at a time, newest first, in a table that scrolls inside the panel. */
function MessageList<Row>({ fetchPage, empty, onWrite, children }: MessageListProps<Row>) {
  const pages = useKeysetPages(fetchPage);
  useAfterSync(() => void pages.refresh());
  return (
    <>
      <KeysetList pages={pages} empty={empty} loadingText="Loading messages…">
        <table className="data-table message-table">
          <tbody>{pages.rows.map(children)}</tbody>
        </table>
      </KeysetList>
      {pages.loaded && pages.rows.length === 0 && (
        <button type="button" className="primary" onClick={onWrite}>
          Write a message
        </button>
      )}
    </>
  );
}

function Opened({ message: m, onBack }: { message: MessageView; onBack(): void }) {
  return (
    <article className="message-open" data-testid="message-open" aria-labelledby="message-open-subject">
      <button type="button" className="link-button" onClick={onBack} autoFocus>
        ← Back to the list
      </button>
      <h3 id="message-open-subject">{m.subject}</h3>
      <p className="muted">
        From {m.senderName} to {m.toLabel}, {formatDateTime(m.sentAt)}
      </p>
      <p className="message-body">{m.body}</p>
      {m.receipts && (
        <>
          <h3>Who has read it</h3>
          <table className="data-table message-receipts" data-testid="message-receipts">
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
        </>
      )}
    </article>
  );
}
