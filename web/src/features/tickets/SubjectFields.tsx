import { useTranslation } from 'react-i18next';

/** A ticket's subject and description, as the new-ticket form and the edit form both ask for them. */
export function SubjectFields(props: {
  subject: string;
  onSubject: (value: string) => void;
  description: string;
  onDescription: (value: string) => void;
  errors: Record<string, string | undefined>;
}) {
  const { t } = useTranslation();
  return (
    <>
      <label>
        {t('create.subject')}
        <input
          name="subject"
          value={props.subject}
          onChange={(e) => props.onSubject(e.target.value)}
          required
          maxLength={200}
        />
        {props.errors.subject && <span className="error">{props.errors.subject}</span>}
      </label>
      <label>
        {t('create.description')}
        <textarea
          name="description"
          rows={4}
          value={props.description}
          onChange={(e) => props.onDescription(e.target.value)}
          required
        />
        {props.errors.description && <span className="error">{props.errors.description}</span>}
      </label>
    </>
  );
}
