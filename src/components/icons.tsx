/** Small inline icons for the transport bar (no font glyphs, which some systems lack). */
const P = { width: 14, height: 14, viewBox: '0 0 16 16', 'aria-hidden': true, focusable: false } as const;

export const ResetIcon = () => (
  <svg {...P}>
    <path d="M2 2h2v12H2zM14 2v12L5 8z" fill="currentColor" />
  </svg>
);
export const BackIcon = () => (
  <svg {...P}>
    <path d="M12 2v12L3 8z" fill="currentColor" />
    <path d="M13 2h2v12h-2z" fill="currentColor" />
  </svg>
);
export const PlayIcon = () => (
  <svg {...P}>
    <path d="M4 2v12l10-6z" fill="currentColor" />
  </svg>
);
export const PauseIcon = () => (
  <svg {...P}>
    <path d="M3 2h4v12H3zM9 2h4v12H9z" fill="currentColor" />
  </svg>
);
export const StepIcon = () => (
  <svg {...P}>
    <path d="M1 2h2v12H1z" fill="currentColor" />
    <path d="M4 2v12l9-6z" fill="currentColor" />
  </svg>
);
