// pcf-scripts lints the control folder with this during `build`.
export { default } from '../eslint.controls.mjs';
