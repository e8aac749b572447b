// What the Power Apps host provides to virtual controls as platform libraries, under
// the global names pcf-scripts' externals expect (PlatformLibraryVersions.json aliases).
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as Fluent from '@fluentui/react-components';

const w = window as unknown as Record<string, unknown>;
w.Reactv16 = React;
w.ReactDOMv16 = ReactDOM;
w.FluentUIReactv940 = Fluent;
