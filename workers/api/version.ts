/** The lab's version; kept equal to package.json's by a unit test. */
export const LAB_VERSION = '0.1.0';
