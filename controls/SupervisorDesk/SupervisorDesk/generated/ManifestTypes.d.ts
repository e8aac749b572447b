/*
*This is auto generated from the ControlManifest.Input.xml file
*/

// Define IInputs and IOutputs Type. They should match with ControlManifest.
export interface IInputs {
    anchor: ComponentFramework.PropertyTypes.StringProperty;
    pollSeconds: ComponentFramework.PropertyTypes.WholeNumberProperty;
    transcriptSeconds: ComponentFramework.PropertyTypes.WholeNumberProperty;
    heightPx: ComponentFramework.PropertyTypes.WholeNumberProperty;
    sections: ComponentFramework.PropertyTypes.StringProperty;
}
export interface IOutputs {
    anchor?: string;
}
