/*
*This is auto generated from the ControlManifest.Input.xml file
*/

// Define IInputs and IOutputs Type. They should match with ControlManifest.
export interface IInputs {
    anchor: ComponentFramework.PropertyTypes.StringProperty;
    defaultRange: ComponentFramework.PropertyTypes.StringProperty;
    showSentiment: ComponentFramework.PropertyTypes.TwoOptionsProperty;
}
export interface IOutputs {
    anchor?: string;
}
