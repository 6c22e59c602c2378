// Shapes of the server's JSON answers (see server/openapi.json), as this app reads them.

/** Principal is the signed-in user as GET /auth/me returns it. */
export interface Principal {
  id: string;
  email: string;
  name: string;
  tenant: string;
  roles: string[];
  platform_admin: boolean;
}

export interface LoginResponse {
  csrf_token: string;
  expires_at: string;
  user: Principal;
}

export type TenantStatus = 'active' | 'suspended';

export interface Tenant {
  slug: string;
  name: string;
  status: TenantStatus;
  created_at: string;
  updated_at: string;
}

export interface TenantInput {
  slug: string;
  name: string;
  admin?: { email: string; name: string; password: string };
}

/** DefinitionSummary is one definition in GET /t/{tenant}/definitions/{kind}. */
export interface DefinitionSummary {
  kind: string;
  key: string;
  /** latest is the published version; 0 when never published. */
  latest: number;
  published_at?: string;
}

/** Localized is text per locale, e.g. {"zh-CN": "贷款申请", "en": "Loan application"}. */
export type Localized = Record<string, string>;

export interface FieldOption {
  value: string | number | boolean;
  label: Localized;
}

export interface FieldDefinition {
  label: Localized;
  widget: string;
  sensitive?: boolean;
  options?: FieldOption[];
}

export interface LayoutSection {
  key: string;
  title?: Localized;
  fields: string[];
}

/** FormDefinition is the body of a published form version. */
export interface FormDefinition {
  key: string;
  title?: Localized;
  description?: Localized;
  fields: Record<string, FieldDefinition>;
  layout?: { sections?: LayoutSection[] };
}

export interface FormVersion {
  kind: string;
  key: string;
  version: number;
  published_at: string;
  body: FormDefinition;
}

export type FieldView = 'none' | 'masked' | 'full';

export interface FieldAccess {
  name: string;
  view: FieldView;
  write: boolean;
  sensitive?: boolean;
  computed?: boolean;
}

/** FormAccess is what the caller may do and see on a form; unreadable fields are absent. */
export interface FormAccess {
  form: string;
  version: number;
  create: boolean;
  read: boolean;
  update: boolean;
  delete: boolean;
  export: boolean;
  fields: FieldAccess[];
  row_scoped: boolean;
}

export interface FormRecord {
  id: string;
  form: string;
  form_version: number;
  version: number;
  created_at: string;
  updated_at: string;
  created_by: string;
  data: Record<string, unknown>;
}

export interface RecordPage {
  records: FormRecord[];
  /** next is the cursor of the following page; absent on the last. */
  next?: string;
}
