//! Azure clouds: the ARM endpoint and the token audience of each.

use url::Url;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cloud {
    Public,
    UsGovernment,
    China,
    /// Any other ARM endpoint (an Azure Stack Hub, or erdiag's emulator).
    Custom { endpoint: Url, scope: String },
}

impl Cloud {
    /// Parses an Azure CLI cloud name (`AzureCloud`, `AzureUSGovernment`,
    /// `AzureChinaCloud`; also `public`, `usgov`, `china`).
    pub fn from_name(name: &str) -> Option<Cloud> {
        match name.to_ascii_lowercase().as_str() {
            "azurecloud" | "public" | "azurepubliccloud" => Some(Cloud::Public),
            "azureusgovernment" | "usgov" | "usgovernment" => Some(Cloud::UsGovernment),
            "azurechinacloud" | "china" => Some(Cloud::China),
            _ => None,
        }
    }

    pub fn endpoint(&self) -> Url {
        match self {
            Cloud::Public => Url::parse("https://management.azure.com/").unwrap(),
            Cloud::UsGovernment => Url::parse("https://management.usgovcloudapi.net/").unwrap(),
            Cloud::China => Url::parse("https://management.chinacloudapi.cn/").unwrap(),
            Cloud::Custom { endpoint, .. } => endpoint.clone(),
        }
    }

    /// The OAuth scope of ARM in this cloud.
    pub fn scope(&self) -> String {
        match self {
            Cloud::Public => "https://management.azure.com/.default".into(),
            Cloud::UsGovernment => "https://management.usgovcloudapi.net/.default".into(),
            Cloud::China => "https://management.chinacloudapi.cn/.default".into(),
            Cloud::Custom { scope, .. } => scope.clone(),
        }
    }

    /// The regional endpoint of Azure Monitor's data-plane metrics API
    /// (`metrics:getBatch`) in this cloud: `https://{region}.metrics.monitor.azure.com/`.
    /// A custom ARM endpoint (the emulator, an Azure Stack Hub) serves it
    /// itself: its own URL. `None` when the region is not a host label.
    pub fn metrics_endpoint(&self, region: &str) -> Option<Url> {
        let suffix = match self {
            Cloud::Public => "com",
            Cloud::UsGovernment => "us",
            Cloud::China => "cn",
            Cloud::Custom { endpoint, .. } => return Some(endpoint.clone()),
        };
        let region = region.to_ascii_lowercase();
        if region.is_empty() || !region.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        Url::parse(&format!("https://{region}.metrics.monitor.azure.{suffix}/")).ok()
    }

    /// The OAuth scope of the data-plane metrics API; a custom endpoint's
    /// own scope (one token for everything it serves).
    pub fn metrics_scope(&self) -> String {
        match self {
            Cloud::Public => "https://metrics.monitor.azure.com/.default".into(),
            Cloud::UsGovernment => "https://metrics.monitor.azure.us/.default".into(),
            Cloud::China => "https://metrics.monitor.azure.cn/.default".into(),
            Cloud::Custom { scope, .. } => scope.clone(),
        }
    }

    pub(crate) fn sdk_cloud(&self) -> Option<azure_core::cloud::CloudConfiguration> {
        match self {
            Cloud::UsGovernment => Some(azure_core::cloud::CloudConfiguration::AzureGovernment),
            Cloud::China => Some(azure_core::cloud::CloudConfiguration::AzureChina),
            _ => None,
        }
    }
}
