import { useId, type ComponentProps } from 'react';

type Props = Omit<ComponentProps<'input'>, 'list'> & {
  /** Offered as the person types; anything else may still be typed. */
  suggestions: readonly string[];
};

/** A text box that suggests what has been used before (classes, terms, categories) without limiting it to them. */
export function SuggestInput({ suggestions, ...input }: Props) {
  const listId = useId();
  return (
    <>
      <input list={listId} autoComplete="off" {...input} />
      <datalist id={listId}>
        {suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </>
  );
}
