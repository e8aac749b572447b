/*
*This is auto generated from the ControlManifest.Input.xml file
*/

// Define IInputs and IOutputs Type. They should match with ControlManifest.
export interface IInputs {
    anchor: ComponentFramework.PropertyTypes.StringProperty;
    conversationId: ComponentFramework.PropertyTypes.StringProperty;
    showCustomer: ComponentFramework.PropertyTypes.TwoOptionsProperty;
    showRouting: ComponentFramework.PropertyTypes.TwoOptionsProperty;
    showPreChat: ComponentFramework.PropertyTypes.TwoOptionsProperty;
    showContext: ComponentFramework.PropertyTypes.TwoOptionsProperty;
    showSentiment: ComponentFramework.PropertyTypes.TwoOptionsProperty;
    showHistory: ComponentFramework.PropertyTypes.TwoOptionsProperty;
    historyCount: ComponentFramework.PropertyTypes.WholeNumberProperty;
}
export interface IOutputs {
    anchor?: string;
}
