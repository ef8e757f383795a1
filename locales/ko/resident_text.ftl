## 메시지에 인용한 주민의 글이 길어 줄였을 때
text-shortened = … (줄임)
search-too-long = 검색어는 { $max }자까지 쓸 수 있습니다. 지금 { $length }자입니다. 줄여 주세요.
