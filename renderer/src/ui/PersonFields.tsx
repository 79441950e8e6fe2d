import { Field } from './Field';

interface Person {
  username: string;
  fullName: string;
  /** Left out of the form's values when the form does not ask for it (accepting an invitation: it is known). */
  email?: string;
}

interface Props<V extends Person> {
  values: V;
  set: (key: keyof V & keyof Person) => (value: string) => void;
  fieldError: (field: string) => string | undefined;
  /** Someone else's account (an admin creating it): no autofill from the admin's own details, and the name may wait. */
  forSomeoneElse?: boolean;
}

/** Username, email and full name: the person details every account form asks for, in this order. */
export function PersonFields<V extends Person>({ values, set, fieldError, forSomeoneElse = false }: Props<V>) {
  const auto = (own: string) => (forSomeoneElse ? 'off' : own);
  return (
    <>
      <Field
        label="Username"
        value={values.username}
        onChange={set('username')}
        error={fieldError('username')}
        autoComplete={auto('username')}
      />
      {values.email !== undefined && (
        <Field
          label="Email"
          type="email"
          value={values.email}
          onChange={set('email')}
          error={fieldError('email')}
          autoComplete={auto('email')}
        />
      )}
      <Field
        label={forSomeoneElse ? 'Full name (optional)' : 'Full name'}
        value={values.fullName}
        onChange={set('fullName')}
        error={fieldError('fullName')}
        autoComplete={auto('name')}
      />
    </>
  );
}
