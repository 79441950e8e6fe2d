import type { Page } from '@playwright/test';

/** The signed-in page's own API calls (its cookies and CSRF header), for setting up what the test is not about. */
export async function asPage(page: Page, name: string, input: unknown): Promise<Record<string, unknown>> {
  return page.evaluate(
    async ([op, body]) => {
      const csrf =
        document.cookie
          .split('; ')
          .find((c) => c.startsWith(`steward_csrf_${location.port}=`))
          ?.split('=')[1] ?? '';
      const response = await fetch(`/api/${op}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'x-steward-csrf': csrf },
        body: JSON.stringify(body),
      });
      const result = (await response.json()) as { ok: boolean; value?: Record<string, unknown>; error?: { message: string } };
      if (!result.ok) throw new Error(`${String(op)}: ${result.error?.message ?? 'refused'}`);
      return result.value ?? {};
    },
    [name, input] as const,
  );
}
