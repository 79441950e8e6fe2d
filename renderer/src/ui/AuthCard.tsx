import type { ReactNode } from 'react';

/** The frame of every screen before the shell: product name, a title, the form. */
export function AuthCard({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <main className="auth-page">
      <section className="auth-card" aria-labelledby="auth-title">
        <p className="brand">Steward</p>
        <h1 id="auth-title">{title}</h1>
        {subtitle && <div className="auth-subtitle">{subtitle}</div>}
        {children}
      </section>
    </main>
  );
}
