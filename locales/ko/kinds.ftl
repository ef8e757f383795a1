## 종류
kind-complaint = 민원
kind-proposal = 정책 제안
