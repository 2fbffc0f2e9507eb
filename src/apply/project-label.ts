/** How messages name a project: `"Momentum Alpha" (#21436587)`, or `#21436587` when no name is known. */
export function projectLabel(project: { readonly projectId: number; readonly name: string }): string {
  const id = `#${project.projectId}`;
  return project.name === "" || project.name === id ? id : `"${project.name}" (${id})`;
}
