// Shapes of the server's JSON answers (see server/openapi.json), as this app reads them.

/** Principal is the signed-in user as GET /auth/me returns it. */
export interface Principal {
  id: string;
  email: string;
  name: string;
  tenant: string;
  roles: string[];
  platform_admin: boolean;
  /**
   * can is, for a tenant user, the actions they may take per object, as the server's
   * routes check them: "admin:definitions": ["read", "update"], "form:loan_application":
   * ["create"], "dashboard:cockpit": ["read"]… An object they may do nothing with is absent.
   */
  can?: Record<string, string[]>;
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

/** Localized is text per locale, e.g. {"zh-CN": "贷款申请", "en": "Loan application"}. */
export type Localized = Record<string, string>;

export interface FieldOption {
  value: string | number | boolean;
  label: Localized;
}

/** DefinitionVersion is one published version of a definition, its body as the kind defines it. */
export interface DefinitionVersion<Body> {
  kind: string;
  key: string;
  version: number;
  published_at: string;
  body: Body;
}

export type FieldView = 'none' | 'masked' | 'full';

export interface FieldAccess {
  name: string;
  view: FieldView;
  write: boolean;
  sensitive?: boolean;
  computed?: boolean;
  /** label, widget and options say how to show the field, without the right to the definition. */
  label?: Localized;
  widget?: string;
  options?: FieldOption[];
  /** help and placeholder are the entry form's hints (GET …/access only). */
  help?: Localized;
  placeholder?: Localized;
  /**
   * columns are a sub-table's columns the caller may read or write, in the schema's
   * order, each with its own view and write right; the table's own view is the best of
   * its columns' and its write tells that one column may be written (GET …/access only).
   */
  columns?: FieldAccess[];
  /**
   * remove_rows, for a sub-table, tells whether the caller may remove and reorder its
   * rows: only when they read in full and write every column. Otherwise row i of a
   * write is row i of the stored record, and rows may only be added.
   */
  remove_rows?: boolean;
}

/** AccessSection is one section of the layout an access answer carries: only fields the caller may know. */
export interface AccessSection {
  key: string;
  title?: Localized;
  description?: Localized;
  columns?: number;
  fields: string[];
}

/**
 * FormAccess is what the caller may do and see on a form (GET …/forms/{form}/access, and
 * each form of GET …/forms); unreadable fields are absent.
 */
export interface FormAccess {
  form: string;
  version: number;
  title?: Localized;
  create: boolean;
  read: boolean;
  update: boolean;
  delete: boolean;
  export: boolean;
  fields: FieldAccess[];
  row_scoped: boolean;
  /**
   * schema is the published JSON Schema reduced to the listed fields, for checking in
   * the browser (GET …/access only; the server checks with the whole one).
   */
  schema?: Record<string, unknown>;
  /** layout is the published layout with only the listed fields (GET …/access only). */
  layout?: { sections: AccessSection[] };
}

export interface FormRecord {
  id: string;
  form: string;
  form_version: number;
  version: number;
  created_at: string;
  updated_at: string;
  created_by: string;
  updated_by?: string;
  data: Record<string, unknown>;
}

export interface RecordPage {
  records: FormRecord[];
  /** next is the cursor of the following page; absent on the last. */
  next?: string;
}

export type TaskStatus = 'open' | 'completed' | 'cancelled';

/** TaskComment is a remark left on a task. */
export interface TaskComment {
  by: string;
  at: string;
  text: string;
}

/** Task is a human task of a flow (an approval or task node), or one a rule opened on a record. */
export interface Task {
  id: string;
  instance: string;
  flow: string;
  flow_version: number;
  node: string;
  name?: Localized;
  kind: 'approval' | 'task';
  mode: 'any' | 'all';
  form: string;
  record_id: string;
  status: TaskStatus;
  /** candidates and audience name users and roles: "user:<id>", "role:<role>". */
  candidates: string[];
  audience: string[];
  assignee?: string;
  owner?: string;
  outcome?: string;
  decided_by?: string;
  /** source names what opened a task outside any flow ("rule:<key>"). */
  source?: string;
  comments?: TaskComment[];
  /** editable are the record fields the node lets its assignee change with the decision. */
  editable?: string[];
  escalated?: boolean;
  created_at: string;
  due_at?: string;
  completed_at?: string;
  version: number;
  /** people names the users the task refers to by id (id → name). */
  people?: People;
}

/** People maps the user ids an answer refers to to their names. */
export type People = Readonly<Record<string, string>>;

export interface TaskPage {
  tasks: Task[];
  next?: string;
  people?: People;
}

export interface TaskCounts {
  open: number;
  overdue: number;
}

export type TaskScope = 'mine' | 'team' | 'all';
export type TaskStatusFilter = 'open' | 'completed' | 'any';

export type TaskActionKind = 'claim' | 'approve' | 'reject' | 'return' | 'complete' | 'reassign' | 'delegate' | 'comment';

/** TaskAction is the body of POST …/tasks/{id}/actions. */
export interface TaskAction {
  kind: TaskActionKind;
  to?: string;
  comment?: string;
  fields?: Record<string, unknown>;
  version?: number;
}

/** FlowPosition is where one branch of a running flow waits. */
export interface FlowPosition {
  node: string;
  since: string;
  waiting: string;
}

export interface FlowInstance {
  id: string;
  flow: string;
  version: number;
  status: 'running' | 'completed' | 'cancelled';
  outcome?: string;
  started_by?: string;
  started_at: string;
  ended_at?: string;
  positions: FlowPosition[] | null;
}

/** FlowStep is one entry of a record's flow history; duration is in nanoseconds. */
export interface FlowStep {
  instance: string;
  flow: string;
  node: string;
  /** node_name is the node's name in the flow version the instance runs. */
  node_name?: Localized;
  node_type: string;
  task?: string;
  action: string;
  actor?: string;
  at: string;
  duration: number;
  comment?: string;
  detail?: Record<string, unknown>;
}

export interface RecordFlows {
  instances: FlowInstance[] | null;
  history: FlowStep[] | null;
  people?: People;
}

/** RuleRun is one rule that fired on a record. */
export interface RuleRun {
  id: string;
  rule: string;
  rule_set_version: number;
  form_version: number;
  input_hash: string;
  actions: Array<{ type: string; detail?: string }> | null;
  at: string;
  error?: string;
}

/** Dashboard is GET /t/{tenant}/dashboards/{key}. */
export interface Dashboard {
  key: string;
  version: number;
  widgets: string[];
  forms: string[];
  /** filters is read when the server sends them; otherwise from the definition. */
  filters?: DashboardFilterDef[];
  name?: Localized;
}

/** DashboardFilterDef is a dashboard-level filter as its definition declares it. */
export interface DashboardFilterDef {
  id: string;
  field: string;
  kind: 'time_range' | 'select';
  label?: Localized;
}

/** DashboardDefinition is the part of a published dashboard's body this app reads. */
export interface DashboardDefinition {
  key: string;
  name?: Localized;
  filters?: DashboardFilterDef[];
}

export interface WidgetCategory {
  key: unknown[];
  label: string;
  labels?: string[];
}

export interface WidgetSeries {
  id: string;
  measure: string;
  label: string;
  format?: string;
  /** values has one figure per category; null where it is undefined (a ratio over zero). */
  values: Array<number | null>;
}

/** WidgetData is one widget's figures, labelled in the requested locale. */
export interface WidgetData {
  id: string;
  type: string;
  title: string;
  dimensions: string[];
  categories: WidgetCategory[];
  series: WidgetSeries[];
}

/** DrillPage is a page of the records behind one figure. */
export interface DrillPage {
  form: string;
  records: FormRecord[];
  next?: string;
}
