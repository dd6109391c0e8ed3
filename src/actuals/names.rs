//! How bills name things: AWS service names (Cost Explorer's SERVICE, FOCUS's ServiceName) to
//! service codes, and line types / record types / charge categories to [`ChargeCategory`].

use crate::analysis::reconcile::ChargeCategory;
use crate::vocabulary::units::ServiceCode;

/// The service code for a service name (each [`ServiceCode`] lists the names bills give it);
/// the name itself when it is not known.
pub fn service_code(name: &str) -> String {
    ServiceCode::from_bill_name(name).map_or_else(|| name.to_string(), |c| c.code().to_string())
}

/// Data transfer is billed under the service that moved the bytes (EC2, …), but priced from the
/// AWSDataTransfer offer, as the model meters it: usage types of regional and internet transfer
/// are filed under `AWSDataTransfer` whichever service reported them. CloudFront's own
/// `US-DataTransfer-Out-Bytes` stays with CloudFront.
pub fn service_for_usage_type(service_code: String, usage_type: &str) -> String {
    let base = usage_type
        .split_once('-')
        .map_or(usage_type, |(prefix, rest)| {
            if prefix
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            {
                rest
            } else {
                usage_type
            }
        });
    let data_transfer =
        base.starts_with("DataTransfer-") || base.starts_with("CloudFront-Out-Bytes");
    if data_transfer && service_code != "AmazonCloudFront" {
        "AWSDataTransfer".into()
    } else {
        service_code
    }
}

/// The category of a Cost Explorer RECORD_TYPE, or of a service name (`Tax`, support plans)
/// when the response has no record types.
pub fn cost_explorer_category(record_type_or_service: &str) -> ChargeCategory {
    let s = record_type_or_service;
    match s {
        "Usage" | "DiscountedUsage" | "SavingsPlanCoveredUsage" => ChargeCategory::Usage,
        "Credit" => ChargeCategory::Credit,
        "Refund" => ChargeCategory::Refund,
        "Tax" => ChargeCategory::Tax,
        _ if s.contains("Support") => ChargeCategory::Support,
        _ if s.contains("Savings Plan")
            || s.contains("SavingsPlan")
            || s.contains("eservation")
            || s.contains("RIFee") =>
        {
            ChargeCategory::Commitment
        }
        _ => ChargeCategory::Other,
    }
}

/// The category of a CUR `line_item_line_item_type`.
pub fn cur_category(line_item_type: &str, service_code: &str) -> ChargeCategory {
    match line_item_type {
        "Usage" | "DiscountedUsage" | "SavingsPlanCoveredUsage" => ChargeCategory::Usage,
        "Credit" => ChargeCategory::Credit,
        "Refund" => ChargeCategory::Refund,
        "Tax" => ChargeCategory::Tax,
        "Fee" if service_code.starts_with("AWSSupport") => ChargeCategory::Support,
        "RIFee" | "SavingsPlanRecurringFee" | "SavingsPlanUpfrontFee" | "SavingsPlanNegation" => {
            ChargeCategory::Commitment
        }
        "EdpDiscount" | "PrivateRateDiscount" | "BundledDiscount" | "DistributorDiscount" => {
            ChargeCategory::NegotiatedDiscount
        }
        _ => ChargeCategory::Other,
    }
}

/// The category of a FOCUS `ChargeCategory`.
pub fn focus_category(charge_category: &str, service_name: &str) -> ChargeCategory {
    match charge_category {
        "Usage" => ChargeCategory::Usage,
        "Credit" => ChargeCategory::Credit,
        "Tax" => ChargeCategory::Tax,
        "Purchase" if service_name.contains("Support") => ChargeCategory::Support,
        "Purchase" => ChargeCategory::Commitment,
        "Adjustment" => ChargeCategory::Refund,
        _ => ChargeCategory::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_codes_and_categories() {
        assert_eq!(
            service_code("Amazon Elastic Container Service"),
            "AmazonECS"
        );
        assert_eq!(service_code("Amazon Lightsail"), "Amazon Lightsail");
        assert_eq!(
            service_for_usage_type("AmazonEC2".into(), "DataTransfer-Out-Bytes"),
            "AWSDataTransfer"
        );
        assert_eq!(
            service_for_usage_type("AmazonEC2".into(), "USE1-DataTransfer-Regional-Bytes"),
            "AWSDataTransfer"
        );
        assert_eq!(
            service_for_usage_type("AmazonCloudFront".into(), "US-DataTransfer-Out-Bytes"),
            "AmazonCloudFront"
        );
        assert_eq!(
            service_for_usage_type("AmazonEC2".into(), "NatGateway-Bytes"),
            "AmazonEC2"
        );
        assert_eq!(
            cost_explorer_category("SavingsPlanNegation"),
            ChargeCategory::Commitment
        );
        assert_eq!(
            cost_explorer_category("AWS Support (Business)"),
            ChargeCategory::Support
        );
        assert_eq!(
            cur_category("SavingsPlanCoveredUsage", "AmazonECS"),
            ChargeCategory::Usage
        );
        assert_eq!(
            focus_category("Purchase", "AWS Support (Business)"),
            ChargeCategory::Support
        );
    }
}
