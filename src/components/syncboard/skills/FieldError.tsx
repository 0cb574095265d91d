// A field's error under it, always in the page (empty when there is none) so aria-describedby never
// points at nothing.
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return (
    <p id={id} className="form__error">
      {message ?? ""}
    </p>
  );
}
