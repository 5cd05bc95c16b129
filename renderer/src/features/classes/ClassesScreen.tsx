/** Classes and subjects (issue 5). */
export function ClassesScreen() {
  return (
    <main className="app-main app-main-single screen">
      <section className="screen-panel" aria-labelledby="classes-title">
        <div className="screen-head">
          <h2 id="classes-title">Classes and subjects</h2>
        </div>
      </section>
    </main>
  );
}
