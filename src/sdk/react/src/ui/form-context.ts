import { createContext, useContext } from 'react'
import type { ActionError } from './use-action'

/** Lets fields find their form's error and the id of the status region that describes it. */
export const FormContext = createContext<{ error: ActionError | null; statusId: string }>({
  error: null,
  statusId: '',
})

export const useFormContext = () => useContext(FormContext)
