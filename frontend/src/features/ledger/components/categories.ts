/** The reference county's five opinion categories (a cycle may configure its own; the API checks). */
export const DEFAULT_CATEGORIES = ['班子建设', '党员队伍', '服务群众', '发展经济', '作风建设'] as const;
