/** Gives components the controller (engine actions) without importing a global. */
import { createContext, useContext } from 'react';
import type { LabController } from '../state/controller';

export const ControllerContext = createContext<LabController | null>(null);

/** The app's controller; throws if a component is rendered outside the provider. */
export function useController(): LabController {
  const c = useContext(ControllerContext);
  if (!c) throw new Error('useController outside <ControllerContext.Provider>');
  return c;
}
