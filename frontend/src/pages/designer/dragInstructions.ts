/**
 * DRAG_INSTRUCTIONS_ID is the id of the designer's hidden drag instructions (the drag
 * library's, named so), which every drag handle's aria-describedby points to.
 */
export const DRAG_INSTRUCTIONS_ID = 'designer-drag-instructions';
