package lending

// Bucket is a delinquency bucket, the usual way collections groups loans by days past
// due (DPD). Bounds are inclusive and a month is counted as 30 days:
//
//	current  DPD 0
//	M1       DPD 1–30
//	M2       DPD 31–60
//	M3       DPD 61–90
//	M3+      DPD 91 and more
type Bucket string

// Buckets, from best to worst.
const (
	BucketCurrent   Bucket = "current"
	BucketM1        Bucket = "M1"
	BucketM2        Bucket = "M2"
	BucketM3        Bucket = "M3"
	BucketM3Plus    Bucket = "M3+"
	bucketMonthDays        = 30
)

// BucketFor is the bucket of a DPD figure; a negative figure (not a DPD) is current.
func BucketFor(dpd int) Bucket {
	switch {
	case dpd <= 0:
		return BucketCurrent
	case dpd <= bucketMonthDays:
		return BucketM1
	case dpd <= 2*bucketMonthDays:
		return BucketM2
	case dpd <= 3*bucketMonthDays:
		return BucketM3
	default:
		return BucketM3Plus
	}
}
