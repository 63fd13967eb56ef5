/** The lab's version, injected by vite.config.ts from package.json. */
declare const __LAB_VERSION__: string;
