/**
 * Saving and opening files in the browser: a download of a JSON document, reading a
 * chosen file as text, and copying text (clipboard, else the text is selected so the
 * user can copy it).
 */

/** Offers `doc` as a download named `file`. */
export function downloadJson(doc: unknown, file: string): void {
  const blob = new Blob([JSON.stringify(doc, null, 2) + '\n'], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The text of the first file an `<input type=file>` holds, or undefined. */
export async function readChosenFile(input: HTMLInputElement): Promise<{ name: string; text: string } | undefined> {
  const file = input.files?.[0];
  input.value = '';
  if (!file) return undefined;
  return { name: file.name, text: await file.text() };
}

/**
 * Copies `text` to the clipboard. When the clipboard is not available (permissions,
 * insecure context) the element's text is selected instead; returns which happened.
 */
export async function copyText(text: string, fallback: HTMLElement | null): Promise<'copied' | 'selected'> {
  try {
    await navigator.clipboard.writeText(text);
    return 'copied';
  } catch {
    if (fallback) {
      if (fallback instanceof HTMLTextAreaElement) {
        fallback.focus();
        fallback.select();
      } else {
        const range = document.createRange();
        range.selectNodeContents(fallback);
        const sel = window.getSelection();
        sel?.removeAllRanges();
        sel?.addRange(range);
      }
    }
    return 'selected';
  }
}
