/**
 * The form kit: every form of the web app is built from these, so that each input
 * has a visible label, its hint and its inline error tied to it (aria-describedby,
 * aria-invalid), and the node's field errors land next to the field they name.
 */
export { ProblemAlert, StatusMessage } from "./alerts.tsx";
export { CheckboxField, CheckboxGroup } from "./Checkbox.tsx";
export { describedBy, FieldError, fieldErrors, localProblem, queryProblem } from "./errors.tsx";
export {
  Field,
  type FieldAria,
  SelectField,
  TextAreaField,
  TextField,
  type TextFieldProps,
  useFieldId,
  YearField,
} from "./Field.tsx";
export { FieldGroup } from "./FieldGroup.tsx";
export { codeList, lines, opt, textList, wholeNumber } from "./input.ts";
export {
  type ParsedPeriod,
  type PeriodDraft,
  PeriodFields,
  PeriodPicker,
  parsePeriod,
} from "./PeriodPicker.tsx";
export { PersonFields } from "./PersonFields.tsx";
export {
  ageRangeOf,
  EMPTY_PERSON,
  isScript,
  isSex,
  type PersonChange,
  type PersonDraft,
  type Script,
  type Sex,
} from "./person.ts";
export { RadioGroup, type RadioOption, RadioOptions } from "./RadioGroup.tsx";
