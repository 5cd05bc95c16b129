/** Messages (issue 5). */
export function MessagesScreen() {
  return (
    <main className="app-main app-main-single screen">
      <section className="screen-panel" aria-labelledby="messages-title">
        <div className="screen-head">
          <h2 id="messages-title">Messages</h2>
        </div>
      </section>
    </main>
  );
}
