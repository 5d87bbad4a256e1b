// A marked place for a panel that arrives with a later issue.
export function PlannedPanel({ title, issue, what }: { title: string; issue: number; what: string }) {
  const id = `${title.toLowerCase()}-heading`;
  return (
    <section aria-labelledby={id} className="planned" data-testid={`planned-${title.toLowerCase()}`}>
      <h2 id={id}>{title}</h2>
      <p>
        {what} <strong>Arrives with issue {issue}.</strong>
      </p>
    </section>
  );
}
