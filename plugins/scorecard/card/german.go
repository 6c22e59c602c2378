package card

// GermanAttributes is the codebook of UCI's german.data (german.doc, section 7) in file
// order, with readable names and labels in English and Chinese. Labels follow UCI's
// codebook; Grömping (2019) reports errors in it, which docs/scorecard.md discusses. The
// levels of installment_rate, residence_since and existing_credits, which UCI leaves
// undefined, are the bands of Grömping's corrected codebook (see the report for the
// direction chosen for installment_rate).
func GermanAttributes() []Attribute {
	return []Attribute{
		{Name: "checking_status", Kind: Categorical, Title: Text{"Checking account", "支票账户"}, Codes: []Code{
			{"A11", "overdrawn", Text{"overdrawn (balance below 0 DM)", "透支（余额低于0马克）"}},
			{"A12", "low_balance", Text{"balance from 0 to under 200 DM", "余额0至不满200马克"}},
			{"A13", "high_balance_or_salary", Text{"balance of 200 DM or more, or salary paid in for at least a year", "余额200马克及以上，或工资代发满一年"}},
			{"A14", "none", Text{"no checking account", "无支票账户"}},
		}},
		{Name: "duration_months", Kind: Numeric, Title: Text{"Loan duration", "贷款期限"}, Unit: Text{"months", "个月"}},
		{Name: "credit_history", Kind: Categorical, Title: Text{"Credit history", "信用记录"}, Codes: []Code{
			{"A30", "no_credits_or_all_repaid", Text{"no credits taken, or all credits repaid duly", "无借贷，或借贷均已按时还清"}},
			{"A31", "all_repaid_at_this_bank", Text{"all credits at this bank repaid duly", "本行借贷均已按时还清"}},
			{"A32", "existing_repaid_duly", Text{"existing credits repaid duly so far", "现有借贷至今按时还款"}},
			{"A33", "past_delays", Text{"delays in repaying in the past", "过去曾逾期还款"}},
			{"A34", "critical_account", Text{"critical account, or credits at other banks", "关注类账户，或在他行另有借贷"}},
		}},
		{Name: "purpose", Kind: Categorical, Title: Text{"Loan purpose", "贷款用途"}, Codes: []Code{
			{"A40", "new_car", Text{"new car", "新车"}},
			{"A41", "used_car", Text{"used car", "二手车"}},
			{"A42", "furniture", Text{"furniture or equipment", "家具或设备"}},
			{"A43", "radio_tv", Text{"radio or television", "收音机或电视"}},
			{"A44", "appliances", Text{"domestic appliances", "家用电器"}},
			{"A45", "repairs", Text{"repairs", "维修"}},
			{"A46", "education", Text{"education", "教育"}},
			{"A47", "vacation", Text{"vacation", "度假"}},
			{"A48", "retraining", Text{"retraining", "职业再培训"}},
			{"A49", "business", Text{"business", "经营"}},
			{"A410", "other", Text{"other purpose", "其他用途"}},
		}},
		{Name: "credit_amount", Kind: Numeric, Title: Text{"Loan amount", "贷款金额"}, Unit: Text{"DM", "马克"}},
		{Name: "savings", Kind: Categorical, Title: Text{"Savings", "储蓄"}, Codes: []Code{
			{"A61", "under_100", Text{"under 100 DM", "不满100马克"}},
			{"A62", "100_to_500", Text{"100 to under 500 DM", "100至不满500马克"}},
			{"A63", "500_to_1000", Text{"500 to under 1,000 DM", "500至不满1,000马克"}},
			{"A64", "1000_or_more", Text{"1,000 DM or more", "1,000马克及以上"}},
			{"A65", "unknown_or_none", Text{"unknown, or no savings account", "未知或无储蓄账户"}},
		}},
		{Name: "employment_since", Kind: Categorical, Title: Text{"Time with current employer", "现单位工作年限"}, Codes: []Code{
			{"A71", "unemployed", Text{"unemployed", "无业"}},
			{"A72", "under_1y", Text{"under 1 year", "不满1年"}},
			{"A73", "1y_to_4y", Text{"1 to under 4 years", "1至不满4年"}},
			{"A74", "4y_to_7y", Text{"4 to under 7 years", "4至不满7年"}},
			{"A75", "7y_or_more", Text{"7 years or more", "7年及以上"}},
		}},
		{Name: "installment_rate", Kind: Numeric, Title: Text{"Instalment as share of disposable income", "月供占可支配收入比例"}, Levels: []Level{
			{1, "under_20pct", Text{"under 20%", "不满20%"}},
			{2, "20_to_25pct", Text{"20% to under 25%", "20%至不满25%"}},
			{3, "25_to_35pct", Text{"25% to under 35%", "25%至不满35%"}},
			{4, "35pct_or_more", Text{"35% or more", "35%及以上"}},
		}},
		{Name: "personal_status_sex", Kind: Categorical, Title: Text{"Sex and marital status", "性别与婚姻状况"}, Codes: []Code{
			{"A91", "male_divorced", Text{"male, divorced or separated", "男，离异或分居"}},
			{"A92", "female_non_single", Text{"female, divorced, separated or married", "女，离异、分居或已婚"}},
			{"A93", "male_single", Text{"male, single", "男，未婚"}},
			{"A94", "male_married", Text{"male, married or widowed", "男，已婚或丧偶"}},
			{"A95", "female_single", Text{"female, single", "女，未婚"}},
		}},
		{Name: "other_debtors", Kind: Categorical, Title: Text{"Co-applicant or guarantor", "共同借款人或担保人"}, Codes: []Code{
			{"A101", "none", Text{"none", "无"}},
			{"A102", "co_applicant", Text{"co-applicant", "有共同借款人"}},
			{"A103", "guarantor", Text{"guarantor", "有担保人"}},
		}},
		{Name: "residence_since", Kind: Numeric, Title: Text{"Time at current address", "现址居住年限"}, Levels: []Level{
			{1, "under_1y", Text{"under 1 year", "不满1年"}},
			{2, "1y_to_4y", Text{"1 to under 4 years", "1至不满4年"}},
			{3, "4y_to_7y", Text{"4 to under 7 years", "4至不满7年"}},
			{4, "7y_or_more", Text{"7 years or more", "7年及以上"}},
		}},
		{Name: "property", Kind: Categorical, Title: Text{"Most valuable property", "主要财产"}, Codes: []Code{
			{"A121", "real_estate", Text{"real estate", "房产"}},
			{"A122", "savings_or_insurance", Text{"building society savings or life insurance", "住房储蓄或人寿保险"}},
			{"A123", "car_or_other", Text{"car or other property", "汽车或其他财产"}},
			{"A124", "none", Text{"unknown, or no property", "未知或无财产"}},
		}},
		{Name: "age_years", Kind: Numeric, Title: Text{"Age", "年龄"}, Unit: Text{"years", "岁"}},
		{Name: "other_installment_plans", Kind: Categorical, Title: Text{"Other instalment plans", "其他分期付款"}, Codes: []Code{
			{"A141", "bank", Text{"with a bank", "银行分期"}},
			{"A142", "stores", Text{"with stores", "商户分期"}},
			{"A143", "none", Text{"none", "无"}},
		}},
		{Name: "housing", Kind: Categorical, Title: Text{"Housing", "住房"}, Codes: []Code{
			{"A151", "rent", Text{"rented", "租房"}},
			{"A152", "own", Text{"owned", "自有住房"}},
			{"A153", "free", Text{"lives for free", "免费居住"}},
		}},
		{Name: "existing_credits", Kind: Numeric, Title: Text{"Existing credits", "现有借贷笔数"}, Levels: []Level{
			{1, "one", Text{"one", "1笔"}},
			{2, "two_or_three", Text{"two or three", "2至3笔"}},
			{3, "four_or_five", Text{"four or five", "4至5笔"}},
			{4, "six_or_more", Text{"six or more", "6笔及以上"}},
		}},
		{Name: "job", Kind: Categorical, Title: Text{"Job", "职业"}, Codes: []Code{
			{"A171", "unskilled_non_resident", Text{"unemployed or unskilled, non-resident", "无业或非技术工人（非常住）"}},
			{"A172", "unskilled_resident", Text{"unskilled, resident", "非技术工人（常住）"}},
			{"A173", "skilled", Text{"skilled employee or official", "技术员工或公务人员"}},
			{"A174", "management", Text{"management, self-employed or highly qualified", "管理层、自雇或高级专业人员"}},
		}},
		{Name: "people_liable", Kind: Numeric, Title: Text{"People the applicant supports", "需供养人数"}, Unit: Text{"people", "人"}},
		{Name: "telephone", Kind: Categorical, Title: Text{"Telephone", "电话"}, Codes: []Code{
			{"A191", "none", Text{"no telephone registered", "无登记电话"}},
			{"A192", "registered", Text{"telephone registered in own name", "本人名下登记电话"}},
		}},
		{Name: "foreign_worker", Kind: Categorical, Title: Text{"Foreign worker", "外籍劳工"}, Codes: []Code{
			{"A201", "yes", Text{"yes", "是"}},
			{"A202", "no", Text{"no", "否"}},
		}},
	}
}
