/** What a collaborator may do in a project: QuantConnect's two switches. */
export type Permission = "read" | "write";

export interface Access {
  readonly permission: Permission;
  readonly liveControl: boolean;
}
